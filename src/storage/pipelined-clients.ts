/**
 * A few PostgreSQL connections in node-postgres's pipeline mode, for the turn's hot-path
 * statements (the load, the commit, the session head: each one statement, atomic on its own).
 *
 * Through a pool, a statement holds its connection from the moment it is sent until this process
 * reads the answer, and a saturated event loop reads it late: at 300 players each worker's pool
 * grew to ten or more connections that were mostly waiting on this process, not on the server, and
 * each new connection costs the server ~50 ms of CPU to warm up (bench/README.md, "The hot path on
 * pipelined connections"). In pipeline mode a connection takes the next statement while earlier ones are still
 * being answered, so two connections carry the whole hot path, opened once.
 *
 * Each statement is its own extended-protocol exchange ending in Sync, so one failing statement
 * fails alone. A statement goes to the open connection with the fewest statements outstanding; a
 * second connection opens only when every open one has work outstanding. A connection that fails
 * is dropped (its outstanding statements fail with its error) and replaced on the next statement.
 * @module
 */
import pg from 'pg';

export interface PipelinedClientsOptions {
  /** Connection settings, as for a pg.Client (`pipeline` is set here). */
  client: pg.ClientConfig;
  /** At most this many connections. */
  size: number;
  /** Sent first on every new connection, before any statement (session settings). */
  setup?: string;
  logger?: { warn(obj: object, msg?: string): void };
}

interface Slot {
  client: pg.Client;
  outstanding: number;
}

export class PipelinedClients {
  readonly #options: PipelinedClientsOptions;
  readonly #slots: Slot[] = [];
  #closed = false;
  /** Connections opened over this object's life (a metric and a test's measure). */
  opened = 0;

  constructor(options: PipelinedClientsOptions) {
    if (options.size < 1) throw new RangeError('PipelinedClients needs at least one connection');
    this.#options = options;
  }

  /** Connections open (or opening) now. */
  get size(): number {
    return this.#slots.length;
  }

  /** Statements sent and not yet answered, over every connection. */
  get outstanding(): number {
    return this.#slots.reduce((n, s) => n + s.outstanding, 0);
  }

  /** Runs one statement; `name` prepares it once per connection. */
  async query<T extends pg.QueryResultRow>(statement: { name?: string; text: string }, values: unknown[]): Promise<T[]> {
    if (this.#closed) throw new Error('PipelinedClients is closed');
    const slot = this.#pick();
    slot.outstanding++;
    try {
      return (await slot.client.query<T>({ ...statement, values })).rows;
    } finally {
      slot.outstanding--;
    }
  }

  #pick(): Slot {
    let best: Slot | undefined;
    for (const slot of this.#slots) if (!best || slot.outstanding < best.outstanding) best = slot;
    if (best && (best.outstanding === 0 || this.#slots.length >= this.#options.size)) return best;
    return this.#open();
  }

  #open(): Slot {
    const client = new pg.Client({ ...this.#options.client, pipeline: true } as pg.ClientConfig);
    const slot: Slot = { client, outstanding: 0 };
    this.#slots.push(slot);
    this.opened++;
    const drop = (err?: Error) => {
      const at = this.#slots.indexOf(slot);
      if (at < 0) return;
      this.#slots.splice(at, 1);
      if (!this.#closed) this.#options.logger?.warn({ err: err?.message ?? 'connection ended' }, 'pipelined PostgreSQL connection dropped; the next statement opens another');
      client.end().catch(() => undefined);
    };
    client.on('error', drop);
    client.on('end', () => drop());
    // Statements queue on the client until it is connected; a failed connect fails them and drops it.
    client.connect().catch(drop);
    if (this.#options.setup) {
      client.query(this.#options.setup).catch((err: Error) => this.#options.logger?.warn({ err: err.message }, 'could not apply the connection settings'));
    }
    return slot;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const slots = this.#slots.splice(0);
    await Promise.all(slots.map((s) => s.client.end().catch(() => undefined)));
  }
}
