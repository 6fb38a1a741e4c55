/**
 * Renews the BullMQ locks of the turns this worker runs from a worker thread. BullMQ renews locks
 * on the main event loop; when every core is saturated that loop can fall seconds behind, the
 * 5 s locks lapse, and other workers take the turns as stalled and run them again (more load,
 * wasted model calls). The thread has its own event loop and Redis connection, so a busy main
 * thread keeps its locks; a main thread that stops beating (stuck, not busy) loses them, so a
 * wedged process still hands its turns over as a dead one does.
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../shared/log.js';
import { withTimeout } from '../../shared/timeout.js';

const THREAD_URL = new URL('./lock-keeper-thread.mjs', import.meta.url);

export interface LockKeeperOptions {
  redisUrl: string;
  /** BullMQ's keys of the queue: its stalled set and the prefix of job keys (`worker.toKey('')`). */
  stalledKey: string;
  baseKey: string;
  lockMs: number;
  logger: Logger;
  /** A main thread silent this long is taken as stuck. Default: 6 locks, at least 30 s. */
  maxMainStallMs?: number;
  /** How long the thread may take to connect before the worker falls back to BullMQ's own renewal. */
  readyTimeoutMs?: number;
  /** Told of every renewal round (how many locks were extended), for metrics and tests. */
  onRenewed?: (count: number) => void;
  /**
   * Told when a tracked job's lock was gone at renewal: either the job just finished (its lock is
   * deleted before the main thread untracks it) or it was lost and may run again elsewhere.
   */
  onLost?: (jobId: string) => void;
}

export class LockKeeper {
  readonly #thread: Worker;
  readonly #beat = new BigInt64Array(new SharedArrayBuffer(8));
  readonly #heart: NodeJS.Timeout;
  readonly #logger: Logger;
  #closed = false;
  /** Resolves once the thread is connected and renewing; rejects if it is not within `readyTimeoutMs`. */
  readonly ready: Promise<void>;

  constructor(o: LockKeeperOptions) {
    this.#logger = o.logger;
    this.#touch();
    // The heartbeat runs on the main loop: late under load (fine, far under the stall limit),
    // absent when the loop is stuck.
    this.#heart = setInterval(() => this.#touch(), 500).unref();
    this.#thread = new Worker(THREAD_URL, {
      workerData: {
        url: o.redisUrl,
        connectionName: 'mock-drama:lock-keeper',
        stalledKey: o.stalledKey,
        baseKey: o.baseKey,
        lockMs: o.lockMs,
        renewMs: Math.max(100, Math.floor(o.lockMs / 3)),
        maxMainStallMs: o.maxMainStallMs ?? Math.max(30_000, o.lockMs * 6),
        heartbeat: this.#beat.buffer,
      },
      resourceLimits: { maxOldGenerationSizeMb: 64 },
    });
    this.#thread.unref();
    const connected = new Promise<void>((resolve, reject) => {
      this.#thread.on('message', (m: { op: string }) => m.op === 'ready' && resolve());
      this.#thread.once('error', reject);
    });
    this.ready = withTimeout(connected, o.readyTimeoutMs ?? 15_000, () => {
      throw new Error('the lock keeper thread did not connect to Redis in time');
    });
    // A failure is handled by whoever awaits `ready`; this only keeps it from being unhandled.
    this.ready.catch(() => undefined);
    this.#thread.on('message', (m: { op: string; id?: string; count?: number; message?: string; silentMs?: number }) => {
      if (m.op === 'renewed') o.onRenewed?.(m.count ?? 0);
      else if (m.op === 'lost') o.onLost?.(m.id!); else if (m.op === 'wedged') this.#logger.error({ silentMs: m.silentMs }, 'main thread silent; turn locks left to lapse');
      else if (m.op === 'error') this.#logger.warn({ err: m.message }, 'lock renewal failed; retrying');
    });
    this.#thread.on('error', (err) => this.#logger.error({ err: err.message }, 'lock keeper thread failed'));
  }

  #touch(): void {
    Atomics.store(this.#beat, 0, BigInt(Date.now()));
  }

  track(jobId: string, token: string): void {
    if (!this.#closed) this.#thread.postMessage({ op: 'track', id: jobId, token });
  }

  untrack(jobId: string): void {
    if (!this.#closed) this.#thread.postMessage({ op: 'untrack', id: jobId });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heart);
    this.#thread.postMessage({ op: 'close' });
    const exited = new Promise<void>((resolve) => this.#thread.once('exit', () => resolve()));
    // The thread is unref'd; this timer is not, so a thread that does not exit is still stopped.
    await withTimeout(exited, 1000, async () => void (await this.#thread.terminate()), { ref: true });
  }
}
