import type { Redis } from 'ioredis';
import type { RateLimit, RateLimiter, RateLimitRefusal, RateLimitResult } from '../../domain/ports/rate-limiter.js';

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

// KEYS: the counters, in order. ARGV: window ms, then each counter's limit. HIT_LUA on each until
// one is over its limit; returns that one's 1-based index, count and time left, or {0, 0, 0}.
const HIT_EACH_LUA = `
for i = 1, #KEYS do
  local n = redis.call('INCR', KEYS[i])
  local ttl = redis.call('PTTL', KEYS[i])
  if n == 1 or ttl < 0 then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  if n > tonumber(ARGV[i + 1]) then return {i, n, ttl} end
end
return {0, 0, 0}
`;

type WithHit = Redis & {
  mdRateHit(key: string, windowMs: string): Promise<[number, number]>;
  mdRateHitEach(keyCount: number, ...keysThenArgs: string[]): Promise<[number, number, number]>;
};

/** {@link RateLimiter} shared by every web process through Redis (INCR + PEXPIRE in one script, sent by its hash; all of a request's limits in one call). */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: WithHit;

  constructor(
    redis: Redis,
    private readonly prefix = 'md',
  ) {
    redis.defineCommand('mdRateHit', { numberOfKeys: 1, lua: HIT_LUA });
    redis.defineCommand('mdRateHitEach', { lua: HIT_EACH_LUA });
    this.#redis = redis as WithHit;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const [count, ttl] = await this.#redis.mdRateHit(`${this.prefix}:rl:${key}`, String(windowMs));
    const allowed = count <= limit;
    return { allowed, remaining: Math.max(0, limit - count), retryAfterMs: allowed ? 0 : Math.max(1, ttl) };
  }

  async hitEach(limits: readonly RateLimit[], windowMs: number): Promise<RateLimitRefusal | null> {
    if (limits.length === 0) return null;
    const keys = limits.map((l) => `${this.prefix}:rl:${l.key}`);
    const [refused, , ttl] = await this.#redis.mdRateHitEach(keys.length, ...keys, String(windowMs), ...limits.map((l) => String(l.limit)));
    if (refused === 0) return null;
    return { index: refused - 1, result: { allowed: false, remaining: 0, retryAfterMs: Math.max(1, ttl) } };
  }
}
