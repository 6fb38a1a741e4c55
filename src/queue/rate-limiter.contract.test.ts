import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { RateLimiter } from '../domain/ports/rate-limiter.js';
import { silentLogger } from '../shared/logger.js';
import { InMemoryRateLimiter } from './in-process/in-memory-rate-limiter.js';
import { createRedis } from './redis/redis-connection.js';
import { RedisRateLimiter } from './redis/redis-rate-limiter.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = createRedis(REDIS_URL, silentLogger(), 'rate-limit-test');
afterAll(() => redis.disconnect());

/** One contract for both limiters: the same answers in one process or shared through Redis. */
describe.each<[string, () => RateLimiter]>([
  ['InMemoryRateLimiter', () => new InMemoryRateLimiter()],
  ['RedisRateLimiter', () => new RedisRateLimiter(redis, `mdtest:${randomBytes(4).toString('hex')}`)],
])('%s', (_name, create) => {
  it('allows `limit` hits per window, then refuses with the time left', async () => {
    const limiter = create();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit('k', 3, 60_000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]!.retryAfterMs).toBeGreaterThan(50_000);
    expect(results[3]!.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Keys are independent.
    expect((await limiter.hit('other', 3, 60_000)).allowed).toBe(true);
  });

  it('opens a new window once the old one lapses', async () => {
    const limiter = create();
    expect((await limiter.hit('w', 1, 100)).allowed).toBe(true);
    expect((await limiter.hit('w', 1, 100)).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect((await limiter.hit('w', 1, 100)).allowed).toBe(true);
  });

  it('hitEach counts every limit in one step, and stops at the first one refused', async () => {
    const limiter = create();
    const limits = [
      { key: 'user', limit: 2 },
      { key: 'ip', limit: 3 },
    ];
    expect(await limiter.hitEach(limits, 60_000)).toBeNull();
    expect(await limiter.hitEach(limits, 60_000)).toBeNull();
    const refused = await limiter.hitEach(limits, 60_000);
    expect(refused).toMatchObject({ index: 0, result: { allowed: false, remaining: 0 } });
    expect(refused!.result.retryAfterMs).toBeGreaterThan(50_000);
    expect(refused!.result.retryAfterMs).toBeLessThanOrEqual(60_000);
    // The refused user's hit was not counted against the address: it has one left.
    expect((await limiter.hit('ip', 3, 60_000)).allowed).toBe(true);
    expect((await limiter.hit('ip', 3, 60_000)).allowed).toBe(false);
    // A later limit refuses with its own index; the earlier ones were counted.
    const other = [
      { key: 'u2', limit: 5 },
      { key: 'ip2', limit: 0 },
    ];
    expect(await limiter.hitEach(other, 60_000)).toMatchObject({ index: 1 });
    expect((await limiter.hit('u2', 5, 60_000)).remaining).toBe(3);
    expect(await limiter.hitEach([], 60_000)).toBeNull();
  });

  it('counts concurrent hits exactly', async () => {
    const limiter = create();
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.hit('c', 10, 60_000)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });
});

describe('InMemoryRateLimiter memory', () => {
  it('stays bounded under a flood of distinct keys', async () => {
    const limiter = new InMemoryRateLimiter({ maxKeys: 100 });
    for (let i = 0; i < 1000; i++) await limiter.hit(`ip-${i}`, 5, 60_000);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});
