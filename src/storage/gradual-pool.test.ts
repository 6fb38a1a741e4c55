import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_PG_URL } from './__fixtures__/store-targets.js';
import { GradualPool } from './gradual-pool.js';

const pools: GradualPool[] = [];
function pool(max: number, growAfterMs: number, connectionString = TEST_PG_URL): GradualPool {
  const p = new GradualPool({ connectionString, max, growAfterMs });
  p.on('error', () => undefined);
  pools.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end().catch(() => undefined)));
});

describe('GradualPool (real PostgreSQL)', () => {
  it('serves a burst of short queries on the connections it has instead of opening one per query', async () => {
    const p = pool(10, 1_000);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => p.query<{ n: number }>('SELECT $1::int AS n', [i])));
    expect(results.map((r) => r.rows[0]!.n)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // The first connection opens at once; the burst drains on it long before 1 s of waiting.
    expect(p.opened).toBe(1);
    expect(p.totalCount).toBe(1);
  });

  it('grows one connection at a time, up to max, while queries keep waiting', async () => {
    const p = pool(4, 30);
    const held = Array.from({ length: 6 }, () => p.query('SELECT pg_sleep(0.4)'));
    await Promise.all(held);
    expect(p.opened).toBe(4);
    expect(p.totalCount).toBeLessThanOrEqual(4);
    // Warm connections are reused: another burst opens nothing.
    await Promise.all(Array.from({ length: 20 }, () => p.query('SELECT 1')));
    expect(p.opened).toBe(4);
  });

  it('with growAfterMs 0 opens another connection as soon as one is being waited for', async () => {
    const p = pool(3, 0);
    await Promise.all(Array.from({ length: 3 }, () => p.query('SELECT pg_sleep(0.2)')));
    expect(p.opened).toBe(3);
  });

  it('transactions (checked-out clients) and queries share the limit without deadlock', async () => {
    const p = pool(2, 10);
    const tx = async () => {
      const c = await p.connect();
      try {
        await c.query('BEGIN');
        await c.query('SELECT pg_sleep(0.05)');
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    };
    await Promise.all([tx(), tx(), tx(), p.query('SELECT 1'), tx()]);
    expect(p.totalCount).toBeLessThanOrEqual(2);
  });

  describe('a server that refuses', () => {
    let server: Server;
    afterEach(() => new Promise<void>((r) => server.close(() => r())));

    it('fails every waiting query instead of leaving it hanging', async () => {
      // A listener that closes each connection at once: connecting fails, nothing hangs forever.
      server = createServer((s) => s.destroy());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      const p = pool(3, 10, `postgres://postgres@127.0.0.1:${port}/test`);
      const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => p.query('SELECT 1')));
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
      expect(p.totalCount).toBe(0);
    });
  });
});
