/**
 * Environments for integration tests: the embedded database (PGlite in memory) and the real
 * PostgreSQL server in a fresh schema, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { dropPgSchema, TEST_PG_URL } from '../../src/storage/__fixtures__/store-targets.js';
import { loadEnv, type Env } from '../../src/config/env.js';

export { TEST_PG_URL };

export interface DbTarget {
  name: 'pglite' | 'postgres';
  env(overrides?: Record<string, string>): Env;
  cleanup(): Promise<void>;
}

const BASE = {
  JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  LOG_LEVEL: 'silent',
  TURN_BACKOFF_MS: '20',
  HOST: '127.0.0.1',
  PORT: '0',
};

/**
 * Environment of an in-process test server: embedded in-memory database, the fixture stories,
 * a free port, no logs. Tests add what they are about (models, limits, secrets).
 */
export function testServerEnv(overrides: Record<string, string> = {}): Env {
  return loadEnv({ DATA_DIR: ':memory:', STORIES_DIR: 'tests/fixtures', PORT: '0', LOG_LEVEL: 'silent', ...overrides });
}

export function dbTargets(): DbTarget[] {
  const schema = `md_it_${randomBytes(6).toString('hex')}`;
  return [
    { name: 'pglite', env: (o = {}) => loadEnv({ ...BASE, DATA_DIR: ':memory:', ...o }), cleanup: async () => undefined },
    {
      name: 'postgres',
      env: (o = {}) => loadEnv({ ...BASE, DATA_DIR: ':memory:', DATABASE_URL: TEST_PG_URL, DATABASE_SCHEMA: schema, DATABASE_POOL_SIZE: '8', ...o }),
      cleanup: () => dropPgSchema(TEST_PG_URL, schema),
    },
  ];
}

/** Poll until `check` returns a value (not undefined), or fail after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
