/**
 * The worker side of the distributed turn queue on BullMQ. Lock and stall intervals are short so a
 * dead worker's turn moves on within seconds; a cancel published by any web server aborts the turn
 * here. A committed turn frees its session before it is announced (clients act on
 * `turn.completed` at once).
 * @module
 */
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DramaError, isTurnCancelled, toDramaError, turnCancelled } from '../../domain/errors.js';
import type { RetryPolicy, TaskError, TurnJob } from '../../domain/ports/turn-queue.js';
import type { TurnWorker } from '../../domain/ports/turn-worker.js';
import type { TurnJobHandlers } from '../../domain/ports/turn-worker.js';
import type { Logger } from '../../shared/log.js';
import { withTimeout } from '../../shared/timeout.js';
import { bullPrefix, DEFAULT_RETRY, parseTaskError, releaseSession, type JobReturn } from './bullmq-shared.js';
import { DEFAULT_ACTIVE_TTL_MS } from './bullmq-turn-queue.js';
import { LockKeeper } from './lock-keeper.js';
import { TurnCancels } from './turn-cancels.js';

export interface BullMqTurnWorkerOptions {
  /** Commands connection (session keys, cancels). */
  redis: Redis;
  /** Makes a new connection; the worker needs its own blocking one, and cancels a subscriber. */
  connect: (name: string) => Redis;
  logger: Logger;
  prefix?: string;
  queueName?: string;
  retry?: RetryPolicy;
  concurrency?: number;
  /** Worker lock; a crashed worker's job is retried after about lock + stall interval. */
  lockMs?: number;
  stalledIntervalMs?: number;
  /**
   * Renew locks from a worker thread with its own connection to this URL (see LockKeeper), so a
   * saturated event loop cannot lose them. Without it BullMQ renews them on the main loop.
   */
  lockKeeperUrl?: string;
  /**
   * Adapt how many turns run at once to the event loop's utilization: fewer while it is above
   * this share of the time (0–1), back up to `concurrency` below it. 0 = a fixed concurrency.
   */
  targetUtilization?: number;
  /** Told when the concurrency changes (metrics). */
  onConcurrency?: (n: number) => void;
}

/** How often the concurrency is reconsidered, and the least it goes down to. */
const ADAPT_EVERY_MS = 1000;
const MIN_CONCURRENCY = 2;

const WORKER_LOST: TaskError = { code: 'worker_lost', message: 'The worker running this turn stopped; another worker takes it over' };

export class BullMqTurnWorker implements TurnWorker {
  readonly #o: Required<Omit<BullMqTurnWorkerOptions, 'redis' | 'connect' | 'logger' | 'lockKeeperUrl' | 'onConcurrency'>>;
  readonly #options: BullMqTurnWorkerOptions;
  #lockKeeper: LockKeeper | null = null;
  #adapter: NodeJS.Timeout | undefined;
  readonly #redis: Redis;
  readonly #connect: (name: string) => Redis;
  readonly #logger: Logger;
  #worker: Worker | null = null;
  #workerConnection: Redis | null = null;
  #closing = false;
  readonly #controllers = new Map<string, AbortController>();
  readonly #cancels: TurnCancels;
  /** Handlers still running outside a job (they publish events and read the database, so close() waits for them). */
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: BullMqTurnWorkerOptions) {
    this.#redis = options.redis;
    this.#connect = options.connect;
    this.#logger = options.logger;
    this.#o = {
      prefix: options.prefix ?? 'md',
      queueName: options.queueName ?? 'turns',
      retry: options.retry ?? DEFAULT_RETRY,
      concurrency: options.concurrency ?? 32,
      lockMs: options.lockMs ?? 5000,
      stalledIntervalMs: options.stalledIntervalMs ?? 3000,
      targetUtilization: options.targetUtilization ?? 0,
    };
    this.#options = options;
    this.#cancels = new TurnCancels({ redis: this.#redis, prefix: this.#o.prefix, ttlMs: DEFAULT_ACTIVE_TTL_MS });
  }

  start(handlers: TurnJobHandlers): void {
    const connection = this.#connect('worker');
    this.#workerConnection = connection;
    const worker = new Worker<TurnJob, JobReturn>(this.#o.queueName, async (job, token) => this.#process(job, handlers, token), {
      connection,
      prefix: bullPrefix(this.#o),
      concurrency: this.#o.concurrency,
      lockDuration: this.#o.lockMs,
      stalledInterval: this.#o.stalledIntervalMs,
      maxStalledCount: 2,
      // Renewed from the lock keeper's thread when there is one.
      skipLockRenewal: this.#options.lockKeeperUrl !== undefined,
      // Started below, once this worker hears cancels.
      autorun: false,
    });
    if (this.#options.lockKeeperUrl !== undefined) {
      const keeper = new LockKeeper({ redisUrl: this.#options.lockKeeperUrl, stalledKey: worker.keys.stalled!, baseKey: worker.toKey(''), lockMs: this.#o.lockMs, logger: this.#logger,
        onLost: (taskId) => {
          if (this.#controllers.has(taskId)) this.#logger.warn({ taskId }, 'turn lock lost; another worker may run it again');
        },
      });
      this.#lockKeeper = keeper;
      worker.on('active', (job) => keeper.track(job.id!, job.token!));
      worker.on('completed', (job) => keeper.untrack(job.id!));
      worker.on('failed', (job) => job && keeper.untrack(job.id!));
    }
    if (this.#o.targetUtilization > 0) this.#adaptConcurrency(worker);
    const heard = this.#cancels.listen(this.#connect('cancels'), (taskId) => this.#controllers.get(taskId)?.abort(turnCancelled()));
    // No job is taken before the lock keeper renews: a lock taken earlier could lapse while the
    // thread still starts (seconds, on a saturated machine). Without it, BullMQ renews as usual.
    const keeping = this.#lockKeeper?.ready.catch((err: unknown) => {
      this.#logger.warn({ err: String(err) }, 'lock keeper thread unavailable; locks are renewed on the main thread');
      (worker.opts as { skipLockRenewal?: boolean }).skipLockRenewal = false;
    });
    void heard
      .catch((err: unknown) => this.#logger.warn({ err: String(err) }, 'not subscribed to turn cancels; running turns will not hear them'))
      .then(() => keeping)
      .then(() => (this.#closing ? undefined : worker.run()))
      .catch((err: unknown) => worker.emit('error', err as Error));
    worker.on('error', (err) => this.#logger.warn({ err: err.message }, 'worker error'));
    worker.on('failed', (job, err) => {
      if (job && !(err instanceof DelayedError) && err.name !== 'DelayedError') this.#track(this.#onFailed(job, err, handlers));
    });
    worker.on('stalled', (jobId) => this.#track(this.#onStalled(jobId, handlers)));
    this.#worker = worker;
  }

  /**
   * Additive increase, multiplicative decrease on the event loop's utilization: a worker whose
   * loop is saturated (its own turns, or a noisy neighbour taking the cores) takes fewer new
   * turns and leaves them to other workers, instead of slowing every turn it holds.
   */
  #adaptConcurrency(worker: Worker): void {
    const max = this.#o.concurrency;
    let last = performance.eventLoopUtilization();
    this.#adapter = setInterval(() => {
      const now = performance.eventLoopUtilization();
      const elu = performance.eventLoopUtilization(now, last).utilization;
      last = now;
      const current = worker.concurrency;
      let next = current;
      if (elu > this.#o.targetUtilization) next = Math.max(MIN_CONCURRENCY, Math.floor(current * 0.7));
      else if (elu < this.#o.targetUtilization * 0.8) next = Math.min(max, current + Math.max(1, Math.ceil(current * 0.1)));
      if (next === current) return;
      worker.concurrency = next;
      this.#options.onConcurrency?.(next);
      this.#logger.debug({ elu: Math.round(elu * 100) / 100, concurrency: next }, 'worker concurrency adapted');
    }, ADAPT_EVERY_MS).unref();
  }

  async #process(job: Job<TurnJob, JobReturn>, handlers: TurnJobHandlers, token: string | undefined): Promise<JobReturn> {
    const taskId = job.id!;
    const controller = new AbortController();
    this.#controllers.set(taskId, controller);
    const attempt = job.attemptsMade + 1;
    let committed = false;
    try {
      // Registered first, checked second: a cancel published before the registration left its key.
      if (await this.#cancels.isCancelled(taskId)) controller.abort(turnCancelled());
      controller.signal.throwIfAborted();
      const turn = await handlers.run(job.data, { attempt, finalAttempt: attempt >= this.#o.retry.attempts, signal: controller.signal });
      committed = true;
      await releaseSession(this.#redis, this.#o.prefix, job.data.sessionId, taskId);
      await turn.announce();
      return { turnNo: turn.result.turnNo };
    } catch (err) {
      // Cancelled: final, whatever the aborted calls threw (the AI SDK throws its own AbortError).
      // Unless the turn committed first: then it is done, and its retry must only replay it.
      if (committed) await this.#cancels.forget(taskId).catch(() => undefined);
      else if (isTurnCancelled(controller.signal.reason)) throw new UnrecoverableError(JSON.stringify(turnCancelled().toJSON()));
      if (controller.signal.aborted && this.#closing) {
        // Shutting down past the grace period: hand the turn back to the queue for another
        // worker without using up one of its attempts (a re-run is idempotent).
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      const error = toDramaError(err);
      const reason = JSON.stringify(error.toJSON());
      // Non-retryable errors must not use up BullMQ's remaining attempts.
      throw error.retryable ? new Error(reason) : new UnrecoverableError(reason);
    } finally {
      this.#controllers.delete(taskId);
    }
  }

  #track(p: Promise<void>): void {
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p));
  }

  async #onFailed(job: Job<TurnJob, JobReturn>, err: Error, handlers: TurnJobHandlers): Promise<void> {
    const error = parseTaskError(err.message);
    const final = err.name === 'UnrecoverableError' || job.attemptsMade >= this.#o.retry.attempts;
    try {
      if (final) {
        await releaseSession(this.#redis, this.#o.prefix, job.data.sessionId, job.id!);
        await handlers.failed(job.data, error, Math.max(1, job.attemptsMade));
      } else {
        await handlers.retrying(job.data, error, job.attemptsMade, this.#o.retry.backoffMs * 2 ** (job.attemptsMade - 1));
      }
    } catch (hookErr) {
      this.#logger.warn({ err: String(hookErr) }, 'turn job handler failed');
    }
  }

  async #onStalled(jobId: string, handlers: TurnJobHandlers): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    const job = (await Job.fromId(worker as never, jobId).catch(() => undefined)) as Job<TurnJob> | undefined;
    if (!job) return;
    this.#logger.warn({ taskId: jobId, sessionId: job.data.sessionId }, 'turn stalled (worker lost); it runs again');
    await handlers.retrying(job.data, WORKER_LOST, job.attemptsMade + 1, 0).catch(() => undefined);
  }

  async close(opts: { graceMs?: number } = {}): Promise<void> {
    this.#closing = true;
    clearInterval(this.#adapter);
    const worker = this.#worker;
    if (!worker) return;
    const graceful = worker.close();
    const timedOut = await withTimeout(graceful.then(() => false), opts.graceMs ?? 10_000, () => true);
    if (timedOut) {
      // Hand the jobs back: their locks lapse and another worker picks them up.
      for (const c of this.#controllers.values()) c.abort(new DramaError('shutting_down', 'Worker shutting down', { retryable: true }));
      // Give the aborted turns a moment to hand themselves back before the connection goes.
      await withTimeout(graceful, 2000, () => undefined);
      await worker.close(true);
    }
    await Promise.allSettled([...this.#inFlight]);
    await this.#lockKeeper?.close();
    this.#workerConnection?.disconnect();
    this.#cancels.close();
  }
}
