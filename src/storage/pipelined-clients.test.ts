import fc from 'fast-check';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_PG_URL } from './__fixtures__/store-targets.js';
import { PipelinedClients } from './pipelined-clients.js';

const opened: PipelinedClients[] = [];
function clients(size: number, extra: Partial<ConstructorParameters<typeof PipelinedClients>[0]> = {}): PipelinedClients {
  const c = new PipelinedClients({ client: { connectionString: TEST_PG_URL }, size, ...extra });
  opened.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

/** Server backends of this database whose application sent `marker` as a setting. */
async function backendsWith(marker: string): Promise<number> {
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [marker]);
    return rows[0]!.n;
  } finally {
    await admin.end();
  }
}

describe('PipelinedClients (real PostgreSQL)', () => {
  it('answers every statement of a burst on at most `size` connections, each with its own rows', async () => {
    const c = clients(2, { client: { connectionString: TEST_PG_URL, application_name: 'md-pipeline-burst' } });
    const statement = { name: 'md_test_pipeline_echo', text: 'SELECT $1::int AS n, pg_backend_pid() AS pid' };
    const rows = await Promise.all(Array.from({ length: 200 }, (_, i) => c.query<{ n: number; pid: number }>(statement, [i])));
    expect(rows.map((r) => r[0]!.n)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(new Set(rows.map((r) => r[0]!.pid)).size).toBe(2);
    expect(c.opened).toBe(2);
    expect(await backendsWith('md-pipeline-burst')).toBe(2);
    // A second burst reuses them.
    await Promise.all(Array.from({ length: 50 }, (_, i) => c.query(statement, [i])));
    expect(c.opened).toBe(2);
    expect(c.outstanding).toBe(0);
  });

  it('opens a second connection only when the first has work outstanding', async () => {
    const c = clients(3);
    for (let i = 0; i < 5; i++) await c.query({ text: 'SELECT 1' }, []);
    expect(c.opened).toBe(1);
  });

  it('fails a bad statement alone: those sent before and after it on the same connection succeed', async () => {
    const c = clients(1);
    const results = await Promise.allSettled([
      c.query<{ n: number }>({ text: 'SELECT $1::int AS n' }, [1]),
      c.query({ text: 'SELECT $1::int / 0 AS n' }, [1]),
      c.query({ text: 'SELECT * FROM md_no_such_table' }, []),
      c.query<{ n: number }>({ name: 'md_test_pipeline_after', text: 'SELECT $1::int + 1 AS n' }, [2]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<{ n: number }[]>).value[0]!.n).toBe(1);
    expect(((results[1] as PromiseRejectedResult).reason as { code?: string }).code).toBe('22012');
    expect(((results[2] as PromiseRejectedResult).reason as { code?: string }).code).toBe('42P01');
    expect((results[3] as PromiseFulfilledResult<{ n: number }[]>).value[0]!.n).toBe(3);
    expect(c.opened).toBe(1);
  });

  it('runs the setup first on every connection', async () => {
    const c = clients(2, { setup: "SET application_name = 'md-pipeline-setup'; SET statement_timeout = 1234" });
    const rows = await Promise.all(Array.from({ length: 20 }, () => c.query<{ app: string; timeout: string }>({ text: "SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS timeout" }, [])));
    expect(new Set(rows.map((r) => `${r[0]!.app} ${r[0]!.timeout}`))).toEqual(new Set(['md-pipeline-setup 1234ms']));
  });

  it('replaces a connection the server ended: its statements fail, the next ones run on a new one', async () => {
    const c = clients(1, { client: { connectionString: TEST_PG_URL, application_name: 'md-pipeline-killed' } });
    const pid = (await c.query<{ pid: number }>({ text: 'SELECT pg_backend_pid() AS pid' }, []))[0]!.pid;
    // Settled at once: they reject while this test is still terminating the backend.
    const slow = Promise.allSettled([c.query({ text: 'SELECT pg_sleep(5)' }, [])]);
    const behind = Promise.allSettled([c.query({ text: 'SELECT 1' }, [])]);
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await new Promise((r) => setTimeout(r, 100));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    expect((await slow)[0].status).toBe('rejected');
    expect((await behind)[0].status).toBe('rejected');
    const next = (await c.query<{ pid: number }>({ text: 'SELECT pg_backend_pid() AS pid' }, []))[0]!.pid;
    expect(next).not.toBe(pid);
    expect(c.opened).toBe(2);
    expect(c.size).toBe(1);
  });

  it('fails statements with the connection error when the server cannot be reached, and keeps no broken connection', async () => {
    const c = new PipelinedClients({ client: { connectionString: 'postgres://postgres@127.0.0.1:1/test', connectionTimeoutMillis: 2000 }, size: 2 });
    opened.push(c);
    await expect(c.query({ text: 'SELECT 1' }, [])).rejects.toThrow();
    expect(c.size).toBe(0);
    expect(c.outstanding).toBe(0);
  });

  it('refuses statements after close', async () => {
    const c = clients(1);
    await c.query({ text: 'SELECT 1' }, []);
    await c.close();
    await expect(c.query({ text: 'SELECT 1' }, [])).rejects.toThrow(/closed/);
  });

  it('property: any mix of good and failing statements, sent at once, each gets its own answer', async () => {
    const c = clients(2);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.boolean()), { minLength: 1, maxLength: 40 }), async (items) => {
        const results = await Promise.allSettled(
          items.map(([n, fails]) => c.query<{ n: number }>({ name: fails ? 'md_test_pipeline_fail' : 'md_test_pipeline_ok', text: fails ? 'SELECT 1 / ($1::int - $1::int) AS n' : 'SELECT $1::int AS n' }, [n])),
        );
        results.forEach((r, i) => {
          const [n, fails] = items[i]!;
          if (fails) expect(r.status).toBe('rejected');
          else expect(r.status === 'fulfilled' && r.value[0]!.n).toBe(n);
        });
      }),
      { numRuns: 40 },
    );
    expect(c.opened).toBe(2);
  });
});
