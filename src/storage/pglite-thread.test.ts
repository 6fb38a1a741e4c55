import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';

describe('PGlite on its own thread (PGLITE_THREAD)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'md-pglite-thread-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps its named statements working when the pool replaces its one connection (the session behind the socket outlives it)', async () => {
    const opened = await openDatabase({ dataDir, poolSize: 10, pgliteThread: true });
    try {
      expect(opened.kind).toBe('pglite');
      const statement = { name: 'md_thread_test_v1', text: 'SELECT $1::int + 1 AS n' };
      expect(await opened.query(statement, [1])).toEqual([{ n: 2 }]);
      // What an error or a restart of the connection does: the pool drops its client and dials again.
      const pool = (opened.db as unknown as { $client: pg.Pool }).$client;
      const client = await pool.connect();
      client.release(true);
      expect(await opened.query(statement, [41])).toEqual([{ n: 42 }]);
      expect(pool.totalCount).toBeLessThanOrEqual(1);
    } finally {
      await opened.close();
    }
  });

  it('hands the data directory back on close: it opens again, with what was written', async () => {
    for (let i = 0; i < 2; i++) {
      const opened = await openDatabase({ dataDir, poolSize: 1, pgliteThread: true });
      try {
        const rows = await opened.query<{ n: number }>({ name: 'md_thread_count_v1', text: 'SELECT count(*)::int AS n FROM stories' }, []);
        expect(rows[0]!.n).toBeGreaterThanOrEqual(0);
      } finally {
        await opened.close();
      }
    }
  });
});
