import type { RateLimit, RateLimiter, RateLimitRefusal, RateLimitResult } from '../../domain/ports/rate-limiter.js';

/** {@link RateLimiter} for one process: a map of fixed windows, swept as it grows. */
export class InMemoryRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(opts: { now?: () => number; maxKeys?: number } = {}) {
    this.#now = opts.now ?? Date.now;
    this.#maxKeys = opts.maxKeys ?? 100_000;
  }

  /** Windows currently kept. */
  get size(): number {
    return this.#windows.size;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const now = this.#now();
    let w = this.#windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.#windows.size >= this.#maxKeys) this.#sweep(now);
      w = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, w);
    }
    w.count += 1;
    const allowed = w.count <= limit;
    return { allowed, remaining: Math.max(0, limit - w.count), retryAfterMs: allowed ? 0 : w.resetAt - now };
  }

  async hitEach(limits: readonly RateLimit[], windowMs: number): Promise<RateLimitRefusal | null> {
    for (let index = 0; index < limits.length; index++) {
      const result = await this.hit(limits[index]!.key, limits[index]!.limit, windowMs);
      if (!result.allowed) return { index, result };
    }
    return null;
  }

  /** Drop expired windows; if every window is live (a flood of keys), drop the oldest half. */
  #sweep(now: number): void {
    for (const [k, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(k);
    if (this.#windows.size < this.#maxKeys) return;
    let drop = Math.floor(this.#windows.size / 2);
    for (const k of this.#windows.keys()) {
      if (drop-- <= 0) break;
      this.#windows.delete(k);
    }
  }
}
