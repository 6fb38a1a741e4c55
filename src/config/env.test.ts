import { describe, expect, it } from 'vitest';
import { loadEnv } from './env.js';

describe('loadEnv', () => {
  it('gives working defaults for an empty environment', () => {
    const env = loadEnv({});
    expect(env.PORT).toBe(8000);
    expect(env.DATA_DIR).toBe('./data');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.STORY_CACHE_SIZE).toBe(100);
    expect(env.TURN_ATTEMPTS).toBe(3);
    expect(env.TURN_BACKOFF_MS).toBe(5000);
  });

  it('PostgreSQL pool: PG_POOL_MAX defaults to 20 with a statement timeout; the former DATABASE_POOL_SIZE still wins', () => {
    expect(loadEnv({}).DATABASE_POOL_SIZE).toBe(20);
    expect(loadEnv({}).PG_STATEMENT_TIMEOUT_MS).toBe(30_000);
    expect(loadEnv({ PG_POOL_MAX: '7' }).DATABASE_POOL_SIZE).toBe(7);
    expect(loadEnv({ PG_POOL_MAX: '7', DATABASE_POOL_SIZE: '3' }).DATABASE_POOL_SIZE).toBe(3);
  });

  it('coerces numbers and treats empty strings as unset', () => {
    const env = loadEnv({ PORT: '9001', DATABASE_URL: '', WORKER_CONCURRENCY: '4' });
    expect(env.PORT).toBe(9001);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.WORKER_CONCURRENCY).toBe(4);
  });

  it('lists every problem at once', () => {
    try {
      loadEnv({ PORT: 'abc', DATABASE_URL: 'mysql://x', STORY_CACHE_SIZE: '0' });
      expect.unreachable();
    } catch (err) {
      const e = err as { code: string; details: string[] };
      expect(e.code).toBe('config_invalid');
      expect(e.details.join('\n')).toMatch(/PORT/);
      expect(e.details.join('\n')).toMatch(/DATABASE_URL/);
      expect(e.details.join('\n')).toMatch(/STORY_CACHE_SIZE/);
    }
  });
});
