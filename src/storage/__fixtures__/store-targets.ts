/**
 * The two databases every store test runs against: PGlite in memory (one instance per test file,
 * initdb takes seconds) and the real PostgreSQL server in a fresh random schema per file,
 * dropped afterwards. `TEST_DATABASE_URL` overrides the server URL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Store } from '../../domain/ports/store.js';
import { createStore, type OpenedDb } from '../create-store.js';
import { openDatabase, type StoreConfig } from '../db.js';
import { queryRows, type Db } from '../repos/query.js';
import type { SQL } from 'drizzle-orm';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface StoreTarget {
  name: 'pglite' | 'postgres';
  /** Config for opening (again) the same database. */
  config: StoreConfig;
  /** Removes what the target created (the PG schema). */
  cleanup(): Promise<void>;
}

/** Drop a test schema and everything in it. */
export async function dropPgSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A fresh target per call: PG gets its own `md_test_<random>` schema. */
export function storeTargets(): StoreTarget[] {
  const schema = `md_test_${randomBytes(6).toString('hex')}`;
  return [
    { name: 'pglite', config: { dataDir: ':memory:', poolSize: 1 }, cleanup: async () => undefined },
    {
      name: 'postgres',
      // The hot path's statements on pipelined connections, as in production (PG_PIPELINE_CONNECTIONS).
      config: { databaseUrl: TEST_PG_URL, dataDir: ':memory:', poolSize: 4, pipelineConnections: 2, schema },
      cleanup: () => dropPgSchema(TEST_PG_URL, schema),
    },
  ];
}

/** What a suite gets: the Store, the raw handle for row-level assertions, and the target. */
export interface StoreHarness {
  store: Store;
  opened: OpenedDb;
  target: StoreTarget;
  rows<T>(query: SQL): Promise<T[]>;
}

/**
 * Define `suite` once per database. The store opens in beforeAll and is closed (and the PG schema
 * dropped) in afterAll; tests read it through the getter, which is valid inside tests only.
 */
export function describeStore(title: string, suite: (h: () => StoreHarness) => void): void {
  describe.each(storeTargets())(`${title} [$name]`, (target) => {
    let harness: StoreHarness | undefined;
    beforeAll(async () => {
      const opened = await openDatabase(target.config);
      const db: Db = opened.db;
      harness = { store: createStore(opened), opened, target, rows: (q) => queryRows(db, q) };
    });
    afterAll(async () => {
      await harness?.store.close();
      await target.cleanup();
    });
    suite(() => {
      if (!harness) throw new Error('store not open yet');
      return harness;
    });
  });
}
