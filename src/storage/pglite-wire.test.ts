import fc from 'fast-check';
import { createConnection, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgliteThread, type PgliteThread } from './pglite-thread.js';

/**
 * Several node-postgres connections on the database thread's one PGlite session: each behaves as
 * if it had a session of its own where it matters (its named statements, its transaction).
 */
describe('PGlite behind its wire: several connections on one session', () => {
  let thread: PgliteThread;
  const clients: pg.Client[] = [];

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: thread.url });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  }

  async function count(client: pg.Client, table = 'wire_rows'): Promise<number> {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    return rows[0]!.n;
  }

  beforeAll(async () => {
    thread = await startPgliteThread('memory://', { analyzeEveryMs: 60_000 });
    const setup = await connect();
    await setup.query('CREATE TABLE wire_rows (id serial PRIMARY KEY, who text NOT NULL)');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await thread?.close();
  });

  it('keeps each connection’s named statements apart, even under the same name', async () => {
    const [a, b] = [await connect(), await connect()];
    const [ra, rb] = await Promise.all([
      a.query({ name: 'same_name', text: "SELECT 'a' AS who, $1::int AS n", values: [1] }),
      b.query({ name: 'same_name', text: "SELECT 'b' AS who, $1::int * 10 AS n", values: [2] }),
    ]);
    expect(ra.rows).toEqual([{ who: 'a', n: 1 }]);
    expect(rb.rows).toEqual([{ who: 'b', n: 20 }]);
    // Executed again (Bind to the prepared name only): still each its own.
    expect((await a.query({ name: 'same_name', text: "SELECT 'a' AS who, $1::int AS n", values: [3] })).rows).toEqual([{ who: 'a', n: 3 }]);
    expect((await b.query({ name: 'same_name', text: "SELECT 'b' AS who, $1::int * 10 AS n", values: [4] })).rows).toEqual([{ who: 'b', n: 40 }]);
  });

  it('runs another connection’s statements only after an open transaction ends', async () => {
    const [a, b] = [await connect(), await connect()];
    const before = await count(b);
    await a.query('BEGIN');
    await a.query("INSERT INTO wire_rows (who) VALUES ('a')");
    let seen: number | undefined;
    const waiting = count(b).then((n) => (seen = n));
    // a keeps the session: its next statements run while b's waits.
    await a.query("INSERT INTO wire_rows (who) VALUES ('a')");
    await a.query('SELECT pg_sleep(0.05)');
    expect(seen).toBeUndefined();
    await a.query('ROLLBACK');
    await waiting;
    // b never saw a's rows: it ran after the rollback, not inside a's transaction.
    expect(seen).toBe(before);
  });

  it('rolls back the transaction of a connection that goes away, and serves the others on', async () => {
    const [a, b] = [await connect(), await connect()];
    const before = await count(b);
    await a.query('BEGIN');
    await a.query("INSERT INTO wire_rows (who) VALUES ('gone')");
    const waiting = count(b);
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect(await waiting).toBe(before);
    expect((await b.query("SELECT count(*)::int AS n FROM wire_rows WHERE who = 'gone'")).rows[0].n).toBe(0);
  });

  it('deallocates a closed connection’s named statements', async () => {
    const [a, b] = [await connect(), await connect()];
    await a.query({ name: 'short_lived', text: 'SELECT 1 AS one', values: [] });
    const named = async () => (await b.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE '%short_lived'")).rows[0]!.n;
    expect(await named()).toBe(1);
    await a.end();
    await expect.poll(named, { timeout: 5_000 }).toBe(0);
  });

  it('keeps the session for a connection between its Flush and its Sync (an open portal is its own)', async () => {
    const b = await connect();
    const raw = await RawConnection.open(thread.url);
    try {
      // Parse, Bind, Execute, then Flush: the rows come back, the statement stays open until Sync.
      raw.send(typed('P', cstr(''), cstr('SELECT 41 + 1'), int16(0)), typed('B', cstr(''), cstr(''), int16(0), int16(0), int16(0)), typed('E', cstr(''), int32(0)), typed('H'));
      await raw.until('C');
      let ran = false;
      const waiting = b.query('SELECT 2 AS two').then(() => (ran = true));
      await new Promise((r) => setTimeout(r, 100));
      expect(ran).toBe(false);
      raw.send(typed('S'));
      await raw.until('Z');
      await waiting;
      expect(ran).toBe(true);
    } finally {
      raw.close();
    }
  });

  it('keeps a connection usable after its statement failed, and the others unaffected', async () => {
    const [a, b] = [await connect(), await connect()];
    const results = await Promise.allSettled([a.query('SELECT 1 / 0'), b.query('SELECT 2 AS two')]);
    expect(results[0].status).toBe('rejected');
    expect(results[1]).toMatchObject({ status: 'fulfilled', value: { rows: [{ two: 2 }] } });
    expect((await a.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });

  it('commits exactly the transactions that commit, whatever the interleaving (property)', async () => {
    const pool = await Promise.all([connect(), connect(), connect(), connect()]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ client: fc.nat(3), rows: fc.integer({ min: 1, max: 3 }), commit: fc.boolean(), fail: fc.boolean() }), { minLength: 1, maxLength: 12 }), async (plans) => {
        await pool[0]!.query('TRUNCATE wire_rows');
        const busy = new Map<number, Promise<unknown>>();
        // Each client runs its transactions in order; the clients run concurrently.
        for (const plan of plans) {
          const client = pool[plan.client]!;
          const run = async () => {
            await client.query('BEGIN');
            try {
              for (let i = 0; i < plan.rows; i++) await client.query({ name: 'wire_insert', text: 'INSERT INTO wire_rows (who) VALUES ($1)', values: [`c${plan.client}`] });
              if (plan.fail) await client.query('SELECT 1 / 0');
              await client.query(plan.commit ? 'COMMIT' : 'ROLLBACK');
            } catch {
              await client.query('ROLLBACK');
            }
          };
          busy.set(plan.client, (busy.get(plan.client) ?? Promise.resolve()).then(run));
        }
        await Promise.all(busy.values());
        const expected = plans.filter((p) => p.commit && !p.fail).reduce((n, p) => n + p.rows, 0);
        expect(await count(pool[1]!)).toBe(expected);
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});

/** A PostgreSQL protocol message: type, length, body. */
function typed(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
}
const cstr = (text: string) => Buffer.from(`${text}\0`);
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** A bare protocol client, for what node-postgres does not send on its own (a Flush without Sync). */
class RawConnection {
  #received = Buffer.alloc(0);
  #waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(url: string): Promise<RawConnection> {
    const host = decodeURIComponent(new URL(url).searchParams.get('host')!);
    const socket = createConnection(`${host}/.s.PGSQL.5432`);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const raw = new RawConnection(socket);
    const params = Buffer.concat([cstr('user'), cstr('postgres'), cstr('database'), cstr('postgres'), cstr('')]);
    socket.write(Buffer.concat([int32(params.length + 8), int32(196608), params]));
    await raw.until('Z');
    return raw;
  }

  send(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  /** Wait until a message of `type` arrives; drops everything received up to and including it. */
  async until(type: string): Promise<void> {
    for (;;) {
      let at = 0;
      while (this.#received.length - at >= 5) {
        const length = this.#received.readInt32BE(at + 1) + 1;
        if (this.#received.length - at < length) break;
        const found = this.#received[at] === type.charCodeAt(0);
        at += length;
        if (found) {
          this.#received = this.#received.subarray(at);
          return;
        }
      }
      await new Promise<void>((wake) => this.#waiters.push(wake));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
