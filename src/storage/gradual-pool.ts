/**
 * A node-postgres pool that opens connections one at a time, and only when a request has waited.
 *
 * pg.Pool opens a new connection for every request that finds no idle one, up to `max`. A new
 * server connection costs the server ~50 ms of CPU the first time it runs the turn's statements
 * (catalog caches, parse, plan: measured 13 ms for the turn's load statement alone), while a
 * statement on a warm connection takes well under a millisecond. So a burst — 300 players acting
 * at once — made every process open its whole `max` (5 processes × 20 = 100 backends) and spent
 * more server CPU on warming them than on the turns (bench/README.md, "Connections").
 *
 * Here the pool still grows to `max`, but only while requests keep waiting: a new connection is
 * opened when no other is being opened and the oldest waiting request has waited `growAfterMs`;
 * until then waiting requests take the next connection to come free. The first connection opens
 * at once.
 *
 * It overrides pg-pool's `_isFull`, `_pulseQueue` and `connect` (pg-pool 3.14, pinned through pg
 * 8.23.1); src/storage/gradual-pool.test.ts checks the behaviour against a real server.
 * @module
 */
import pg from 'pg';

export interface GradualPoolConfig extends pg.PoolConfig {
  /** How long the oldest waiting request waits before another connection is opened (ms). */
  growAfterMs: number;
}

/** pg-pool's internals this class relies on. */
interface PoolInternals {
  _clients: unknown[];
  _pendingQueue: { queuedAt?: number }[];
  ending: boolean;
}

export class GradualPool extends pg.Pool {
  readonly #growAfterMs: number;
  /** Connections being opened right now. */
  #opening = 0;
  #growTimer: NodeJS.Timeout | null = null;
  /**
   * pg-pool's pulse asks `_isFull` before and after taking the oldest request off the queue and
   * expects the same answer; the answer depends on that request's wait, so it is fixed per pulse.
   */
  #fullDuringPulse: boolean | undefined;
  /** Connections opened over the pool's life (a metric and a test's measure). */
  opened = 0;

  constructor(config: GradualPoolConfig) {
    const { growAfterMs, ...poolConfig } = config;
    super(poolConfig);
    this.#growAfterMs = growAfterMs;
  }

  get #internals(): PoolInternals {
    return this as unknown as PoolInternals;
  }

  /** Full, for pg-pool, also while a connection is being opened or the waiting is still short. */
  _isFull(): boolean {
    return this.#fullDuringPulse ?? this.#isFullNow();
  }

  #isFullNow(): boolean {
    const { _clients: clients } = this.#internals;
    if (clients.length >= (this.options.max ?? 10)) return true;
    if (clients.length === 0) return false;
    if (this.#opening > 0) return true;
    const oldest = this.#oldestWait();
    return oldest === null || performance.now() - oldest < this.#growAfterMs;
  }

  /** When the oldest waiting request started waiting (performance.now()), or null when none waits. */
  #oldestWait(): number | null {
    return this.#internals._pendingQueue[0]?.queuedAt ?? null;
  }

  newClient(pendingItem: { callback: (err: unknown, client?: unknown, release?: unknown) => void }): void {
    this.#opening++;
    this.opened++;
    const callback = pendingItem.callback;
    pendingItem.callback = (err, client, release) => {
      this.#opening--;
      callback(err, client, release);
      // Requests still waiting may need the next connection.
      this.#scheduleGrowth();
    };
    (pg.Pool.prototype as unknown as { newClient(p: unknown): void }).newClient.call(this, pendingItem);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    const queue = this.#internals._pendingQueue;
    const before = queue.length;
    const result = callback ? super.connect(callback) : super.connect();
    if (queue.length > before) {
      queue[queue.length - 1]!.queuedAt = performance.now();
      this.#scheduleGrowth();
    }
    return result;
  }

  _pulseQueue(): void {
    this.#fullDuringPulse = this.#isFullNow();
    try {
      (pg.Pool.prototype as unknown as { _pulseQueue(): void })._pulseQueue.call(this);
    } finally {
      this.#fullDuringPulse = undefined;
    }
    this.#scheduleGrowth();
  }

  /** Re-check once the oldest request has waited long enough, even if nothing else happens. */
  #scheduleGrowth(): void {
    const oldest = this.#oldestWait();
    if (this.#growTimer || oldest === null || this.#internals.ending) return;
    const due = Math.max(0, oldest + this.#growAfterMs - performance.now());
    this.#growTimer = setTimeout(() => {
      this.#growTimer = null;
      this._pulseQueue();
    }, Math.ceil(due));
    this.#growTimer.unref();
  }

  override end(): Promise<void>;
  override end(callback: () => void): void;
  override end(callback?: () => void): Promise<void> | void {
    if (this.#growTimer) clearTimeout(this.#growTimer);
    this.#growTimer = null;
    return callback ? super.end(callback) : super.end();
  }
}
