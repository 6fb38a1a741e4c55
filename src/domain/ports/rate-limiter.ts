/** The outcome of counting one hit against a limit. */
export interface RateLimitResult {
  allowed: boolean;
  /** Hits left in the current window (0 when refused). */
  remaining: number;
  /** When refused: how long until the window resets (ms). */
  retryAfterMs: number;
}

/**
 * Fixed-window counters shared by every web process that uses the same backend: in memory for
 * the all-in-one process, Redis in distributed mode. A hit is counted even when refused, so a
 * client hammering a limit does not get through by retrying faster.
 */
export interface RateLimiter {
  /** Count one hit on `key`; allowed while the window's count is at most `limit`. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /**
   * {@link hit} on each limit in order, as one step (one round trip to Redis): stops at the first
   * one refused, whose index and result it returns; the limits after it are not counted. `null`
   * when every one allowed the hit.
   */
  hitEach(limits: readonly RateLimit[], windowMs: number): Promise<RateLimitRefusal | null>;
}

export interface RateLimit {
  key: string;
  limit: number;
}

export interface RateLimitRefusal {
  /** Which of the limits refused. */
  index: number;
  result: RateLimitResult;
}
