import type { Redis } from 'ioredis';
import type { RateLimiter, RateLimitResult } from '../../domain/ports/rate-limiter.js';

// KEYS: counter. ARGV: window ms. One round trip; the expiry is set with the first hit only, so
// the window is fixed, and re-set if the key somehow has none (a counter must never live forever).
const HIT_LUA = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;

type WithHit = Redis & { mdRateHit(key: string, windowMs: string): Promise<[number, number]> };

/** {@link RateLimiter} shared by every web process through Redis (INCR + PEXPIRE in one script, sent by its hash). */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: WithHit;

  constructor(
    redis: Redis,
    private readonly prefix = 'md',
  ) {
    redis.defineCommand('mdRateHit', { numberOfKeys: 1, lua: HIT_LUA });
    this.#redis = redis as WithHit;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const [count, ttl] = await this.#redis.mdRateHit(`${this.prefix}:rl:${key}`, String(windowMs));
    const allowed = count <= limit;
    return { allowed, remaining: Math.max(0, limit - count), retryAfterMs: allowed ? 0 : Math.max(1, ttl) };
  }
}
