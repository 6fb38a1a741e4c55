import type { Redis } from 'ioredis';
import type { RateLimit, RateLimiter, RateLimitRefusal, RateLimitResult } from '../../domain/ports/rate-limiter.js';

// KEYS: the counters, in order. ARGV: window ms, then each counter's limit. One round trip: a hit
// on each counter until one is over its limit. The expiry is set with a window's first hit only,
// so the window is fixed, and re-set if a key somehow has none (a counter must never live forever).
// Returns {the refused counter's 1-based index (0: none), its count, its time left}; with none
// refused, the last counter's count and time left.
const HIT_LUA = `
local n, ttl = 0, 0
for i = 1, #KEYS do
  n = redis.call('INCR', KEYS[i])
  ttl = redis.call('PTTL', KEYS[i])
  if n == 1 or ttl < 0 then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  if n > tonumber(ARGV[i + 1]) then return {i, n, ttl} end
end
return {0, n, ttl}
`;

type WithHit = Redis & { mdRateHit(keyCount: number, ...keysThenArgs: string[]): Promise<[refused: number, count: number, ttl: number]> };

/** {@link RateLimiter} shared by every web process through Redis: all of a request's limits in one script call, sent by its hash. */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: WithHit;

  constructor(
    redis: Redis,
    private readonly prefix = 'md',
  ) {
    redis.defineCommand('mdRateHit', { lua: HIT_LUA });
    this.#redis = redis as WithHit;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const [refused, count, ttl] = await this.#hit([{ key, limit }], windowMs);
    const allowed = refused === 0;
    return { allowed, remaining: Math.max(0, limit - count), retryAfterMs: allowed ? 0 : Math.max(1, ttl) };
  }

  async hitEach(limits: readonly RateLimit[], windowMs: number): Promise<RateLimitRefusal | null> {
    if (limits.length === 0) return null;
    const [refused, , ttl] = await this.#hit(limits, windowMs);
    if (refused === 0) return null;
    return { index: refused - 1, result: { allowed: false, remaining: 0, retryAfterMs: Math.max(1, ttl) } };
  }

  #hit(limits: readonly RateLimit[], windowMs: number): Promise<[refused: number, count: number, ttl: number]> {
    const keys = limits.map((l) => `${this.prefix}:rl:${l.key}`);
    return this.#redis.mdRateHit(keys.length, ...keys, String(windowMs), ...limits.map((l) => String(l.limit)));
  }
}
