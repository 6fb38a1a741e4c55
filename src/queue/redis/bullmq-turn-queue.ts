/**
 * The distributed turn queue on BullMQ. One job per turn (job id = task id, so a duplicate
 * enqueue is harmless); a Redis key per session makes "one turn at a time" hold across the whole
 * cluster; lock and stall intervals are short so a dead worker's turn moves on within seconds.
 * Cancels reach the worker running a turn through Redis (turn-cancels.ts).
 * @module
 */
import { DelayedError, Job, Queue, UnrecoverableError, Worker, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { DramaError, isTurnCancelled, toDramaError, turnCancelled } from '../../domain/errors.js';
import type { QueueCounts, QueueHooks, RetryPolicy, TaskError, TaskStatus, TurnHandler, TurnJob, TurnQueue } from '../../domain/ports/turn-queue.js';
import type { Logger } from '../../domain/turn-deps.js';
import type { TurnResult } from '../../domain/types.js';
import { TurnCancels } from './turn-cancels.js';

export interface BullMqTurnQueueOptions {
  /** Connection for the producer side and the session keys. */
  redis: Redis;
  /** Makes a new connection; the worker needs its own blocking one. */
  connect: (name: string) => Redis;
  logger: Logger;
  prefix?: string;
  queueName?: string;
  retry?: RetryPolicy;
  concurrency?: number;
  /** Worker lock; a crashed worker's job is retried after about lock + stall interval. */
  lockMs?: number;
  stalledIntervalMs?: number;
  /** Safety expiry of the per-session "turn in flight" key. */
  activeTtlMs?: number;
}

/** How long after taking a session's key an enqueue may still be adding its job. */
const ADDING_JOB_GRACE_MS = 10_000;

/** How long cancel() waits for the turn to be failed (or to complete), and how often it looks. */
const CANCEL_WAIT_MS = 5000;
const CANCEL_POLL_MS = 25;

const WORKER_LOST: TaskError = { code: 'worker_lost', message: 'The worker running this turn stopped; another worker takes it over' };

// Delete the session's key only if it still names this task (another turn may own it by now).
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class BullMqTurnQueue implements TurnQueue {
  readonly #o: Required<Omit<BullMqTurnQueueOptions, 'redis' | 'connect' | 'logger'>>;
  readonly #redis: Redis;
  readonly #connect: (name: string) => Redis;
  readonly #logger: Logger;
  readonly #queue: Queue;
  #worker: Worker | null = null;
  #workerConnection: Redis | null = null;
  #closing = false;
  readonly #controllers = new Map<string, AbortController>();
  readonly #cancels: TurnCancels;
  /** Hooks still running (they publish events and read the database, so close() waits for them). */
  readonly #hooksInFlight = new Set<Promise<void>>();

  constructor(options: BullMqTurnQueueOptions) {
    this.#redis = options.redis;
    this.#connect = options.connect;
    this.#logger = options.logger;
    this.#o = {
      prefix: options.prefix ?? 'md',
      queueName: options.queueName ?? 'turns',
      retry: options.retry ?? { attempts: 3, backoffMs: 5000 },
      concurrency: options.concurrency ?? 32,
      lockMs: options.lockMs ?? 5000,
      stalledIntervalMs: options.stalledIntervalMs ?? 3000,
      activeTtlMs: options.activeTtlMs ?? 30 * 60_000,
    };
    this.#queue = new Queue(this.#o.queueName, { connection: this.#redis, prefix: `${this.#o.prefix}:bull` });
    this.#queue.on('error', (err) => this.#logger.warn({ err: err.message }, 'queue error'));
    this.#redis.defineCommand('mdRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
    this.#cancels = new TurnCancels({ redis: this.#redis, prefix: this.#o.prefix, ttlMs: this.#o.activeTtlMs });
  }

  /** The BullMQ queue, for Bull Board. */
  get bullQueue(): Queue {
    return this.#queue;
  }

  /** Jobs of the shared queue by state (one Redis round trip). */
  async counts(): Promise<QueueCounts> {
    const c = await this.#queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0 };
  }

  #activeKey(sessionId: string): string {
    return `${this.#o.prefix}:active:{${sessionId}}`;
  }

  async #release(sessionId: string, taskId: string): Promise<void> {
    await (this.#redis as unknown as Record<string, (...a: string[]) => Promise<number>>).mdRelease!(this.#activeKey(sessionId), taskId);
  }

  async enqueue(job: TurnJob): Promise<TaskStatus> {
    if (this.#closing) throw new DramaError('shutting_down', 'The server is shutting down; try again shortly', { retryable: true });
    const key = this.#activeKey(job.sessionId);
    for (let tries = 0; tries < 2; tries++) {
      if ((await this.#redis.set(key, job.taskId, 'PX', this.#o.activeTtlMs, 'NX')) === 'OK') return this.#add(job);
      const holder = await this.#redis.get(key);
      if (holder === null) continue;
      const status = await this.getStatus(holder);
      if (holder === job.taskId && status) return status;
      // A finished (or vanished) job whose key was never released must not block the session.
      if (!status || status.state === 'completed' || status.state === 'failed') {
        await this.#release(job.sessionId, holder);
        continue;
      }
      throw new DramaError('turn_in_progress', 'This session already has a turn in progress', { details: { task_id: holder, status: status.state } });
    }
    throw new DramaError('turn_in_progress', 'This session already has a turn in progress');
  }

  /** Read-only: a stale key is left for `enqueue` to clear. */
  async isBusy(sessionId: string): Promise<boolean> {
    const key = this.#activeKey(sessionId);
    const holder = await this.#redis.get(key);
    if (holder === null) return false;
    const status = await this.getStatus(holder);
    if (status) return status.state !== 'completed' && status.state !== 'failed';
    // No job under the key: either an enqueue is between taking the key and adding the job (a
    // young key: busy), or the job vanished long ago without releasing it (blocks nothing).
    return (await this.#redis.pttl(key)) > this.#o.activeTtlMs - ADDING_JOB_GRACE_MS;
  }

  async #add(job: TurnJob): Promise<TaskStatus> {
    const opts: JobsOptions = {
      jobId: job.taskId,
      attempts: this.#o.retry.attempts,
      backoff: { type: 'exponential', delay: this.#o.retry.backoffMs },
      removeOnComplete: { age: 3600, count: 50_000 },
      removeOnFail: { age: 24 * 3600 },
    };
    try {
      await this.#queue.add('turn', job, opts);
    } catch (err) {
      await this.#release(job.sessionId, job.taskId).catch(() => undefined);
      throw new DramaError('shutting_down', 'The turn queue is unavailable', { retryable: true, cause: err });
    }
    return { taskId: job.taskId, sessionId: job.sessionId, state: 'queued', attempts: 0, result: null, error: null };
  }

  async getStatus(taskId: string): Promise<TaskStatus | null> {
    // State first, then the job hash: the finishing script writes the return value and the state
    // together, so a job read after seeing "completed" always has its result.
    const state = await this.#queue.getJobState(taskId);
    if (state === 'unknown') return null;
    const job = (await Job.fromId(this.#queue, taskId)) as Job<TurnJob, TurnResult> | undefined;
    if (!job) return null;
    const base = { taskId, sessionId: job.data.sessionId, attempts: job.attemptsMade, result: null, error: null };
    switch (state) {
      case 'completed':
        return { ...base, state: 'completed', result: job.returnvalue };
      case 'failed':
        // A job that failed ran at least once, whatever the counter says at this instant.
        return { ...base, attempts: Math.max(1, job.attemptsMade), state: 'failed', error: parseTaskError(job.failedReason) };
      case 'active':
        return { ...base, attempts: job.attemptsMade + 1, state: 'processing' };
      case 'delayed':
        return { ...base, state: job.attemptsMade > 0 ? 'retrying' : 'queued', error: job.attemptsMade > 0 ? parseTaskError(job.failedReason) : null };
      default:
        return { ...base, state: 'queued' };
    }
  }

  /**
   * The turn is failed by a worker (the hooks that publish `turn.failed` live there): a running
   * job is aborted through the cancel channel, a job waiting out a backoff is promoted so a worker
   * takes it and fails it at once, and a waiting job fails when a worker takes it. This process
   * only records the cancel, then waits and watches.
   */
  async cancel(sessionId: string): Promise<TaskStatus | null> {
    const taskId = await this.#redis.get(this.#activeKey(sessionId));
    if (taskId === null) return null;
    const status = await this.getStatus(taskId);
    // A key left behind by a finished job: nothing is in flight.
    if (status && (status.state === 'completed' || status.state === 'failed')) return null;
    await this.#cancels.request(taskId);
    return this.#untilSettled(taskId);
  }

  async #untilSettled(taskId: string): Promise<TaskStatus | null> {
    const deadline = Date.now() + CANCEL_WAIT_MS;
    for (;;) {
      const state = await this.#queue.getJobState(taskId);
      if (state === 'completed' || state === 'failed' || Date.now() >= deadline) return this.getStatus(taskId);
      // Asked each time: an attempt that failed just as the cancel arrived enters its backoff after it.
      // (A promote that loses a race with the job moving on fails harmlessly.)
      if (state === 'delayed') await Job.fromId(this.#queue, taskId).then((job) => job?.promote()).catch(() => undefined);
      await new Promise((r) => setTimeout(r, CANCEL_POLL_MS));
    }
  }

  start(handler: TurnHandler, hooks: QueueHooks = {}): void {
    const connection = this.#connect('worker');
    this.#workerConnection = connection;
    const worker = new Worker<TurnJob, TurnResult>(
      this.#o.queueName,
      async (job, token) => this.#process(job, handler, token),
      {
        connection,
        prefix: `${this.#o.prefix}:bull`,
        concurrency: this.#o.concurrency,
        lockDuration: this.#o.lockMs,
        stalledInterval: this.#o.stalledIntervalMs,
        maxStalledCount: 2,
        // Started below, once this worker hears cancels.
        autorun: false,
      },
    );
    const heard = this.#cancels.listen(this.#connect('cancels'), (taskId) => this.#controllers.get(taskId)?.abort(turnCancelled()));
    void heard
      .catch((err: unknown) => this.#logger.warn({ err: String(err) }, 'not subscribed to turn cancels; running turns will not hear them'))
      .then(() => (this.#closing ? undefined : worker.run()))
      .catch((err: unknown) => worker.emit('error', err as Error));
    worker.on('error', (err) => this.#logger.warn({ err: err.message }, 'worker error'));
    worker.on('completed', (job) => void this.#release(job.data.sessionId, job.id!).catch(() => undefined));
    worker.on('failed', (job, err) => {
      if (job && !(err instanceof DelayedError) && err.name !== 'DelayedError') this.#track(this.#onFailed(job, err, hooks));
    });
    worker.on('stalled', (jobId) => this.#track(this.#onStalled(jobId, hooks)));
    this.#worker = worker;
  }

  async #process(job: Job<TurnJob, TurnResult>, handler: TurnHandler, token: string | undefined): Promise<TurnResult> {
    const controller = new AbortController();
    this.#controllers.set(job.id!, controller);
    const attempt = job.attemptsMade + 1;
    let committed = false;
    try {
      // Registered first, checked second: a cancel published before the registration left its key.
      if (await this.#cancels.isCancelled(job.id!)) controller.abort(turnCancelled());
      controller.signal.throwIfAborted();
      return await handler(job.data, {
        attempt,
        finalAttempt: attempt >= this.#o.retry.attempts,
        signal: controller.signal,
        markCommitted: () => {
          committed = true;
          return this.#release(job.data.sessionId, job.id!);
        },
      });
    } catch (err) {
      // Cancelled: final, whatever the aborted calls threw (the AI SDK throws its own AbortError).
      // Unless the turn committed first: then it is done, and its retry must only replay it.
      if (committed) await this.#cancels.forget(job.id!).catch(() => undefined);
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
      this.#controllers.delete(job.id!);
    }
  }

  #track(p: Promise<void>): void {
    this.#hooksInFlight.add(p);
    void p.finally(() => this.#hooksInFlight.delete(p));
  }

  async #onFailed(job: Job<TurnJob, TurnResult>, err: Error, hooks: QueueHooks): Promise<void> {
    const error = parseTaskError(err.message);
    const final = err.name === 'UnrecoverableError' || job.attemptsMade >= this.#o.retry.attempts;
    try {
      if (final) {
        await this.#release(job.data.sessionId, job.id!);
        await hooks.onFailed?.(job.data, error, Math.max(1, job.attemptsMade));
      } else {
        await hooks.onRetry?.(job.data, error, job.attemptsMade, this.#o.retry.backoffMs * 2 ** (job.attemptsMade - 1));
      }
    } catch (hookErr) {
      this.#logger.warn({ err: String(hookErr) }, 'queue hook failed');
    }
  }

  async #onStalled(jobId: string, hooks: QueueHooks): Promise<void> {
    const job = (await Job.fromId(this.#queue, jobId).catch(() => undefined)) as Job<TurnJob> | undefined;
    if (!job) return;
    this.#logger.warn({ taskId: jobId, sessionId: job.data.sessionId }, 'turn stalled (worker lost); it runs again');
    await Promise.resolve(hooks.onRetry?.(job.data, WORKER_LOST, job.attemptsMade + 1, 0)).catch(() => undefined);
  }

  async close(opts: { graceMs?: number } = {}): Promise<void> {
    this.#closing = true;
    const worker = this.#worker;
    if (worker) {
      const graceful = worker.close();
      const timedOut = await Promise.race([graceful.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), opts.graceMs ?? 10_000).unref())]);
      if (timedOut) {
        // Hand the jobs back: their locks lapse and another worker picks them up.
        for (const c of this.#controllers.values()) c.abort(new DramaError('shutting_down', 'Worker shutting down', { retryable: true }));
        // Give the aborted turns a moment to hand themselves back before the connection goes.
        await Promise.race([graceful, new Promise((r) => setTimeout(r, 2000).unref())]);
        await worker.close(true);
      }
      await Promise.allSettled([...this.#hooksInFlight]);
      this.#workerConnection?.disconnect();
      this.#cancels.close();
    }
    await this.#queue.close();
  }
}

function parseTaskError(reason: string | undefined): TaskError {
  try {
    const parsed = JSON.parse(reason ?? '') as TaskError;
    if (typeof parsed.code === 'string' && typeof parsed.message === 'string') return parsed;
  } catch {
    // Not one of ours (BullMQ's own failure, e.g. "job stalled more than allowable limit").
  }
  return { code: 'internal', message: reason || 'The turn failed' };
}
