/**
 * The producer side of the distributed turn queue on BullMQ (what a web process loads). One job
 * per turn (job id = task id, so a duplicate enqueue is harmless); a Redis key per session makes
 * "one turn at a time" hold across the whole cluster. The worker side is bullmq-turn-worker.ts.
 * Cancels reach the worker running a turn through Redis (turn-cancels.ts).
 * @module
 */
import { Job, Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { DramaError } from '../../domain/errors.js';
import type { EnqueueOptions, QueueCounts, RetryPolicy, TaskStatus, TurnJob, TurnQueue } from '../../domain/ports/turn-queue.js';
import type { Logger } from '../../shared/log.js';
import { activeKey, bullPrefix, DEFAULT_RETRY, parseTaskError, releaseSession, type JobReturn } from './bullmq-shared.js';
import { TurnCancels } from './turn-cancels.js';

export interface BullMqTurnQueueOptions {
  /** Connection for the producer side and the session keys. */
  redis: Redis;
  logger: Logger;
  prefix?: string;
  queueName?: string;
  retry?: RetryPolicy;
  /** Safety expiry of the per-session "turn in flight" key. */
  activeTtlMs?: number;
}

/** How long after taking a session's key an enqueue may still be adding its job. */
const ADDING_JOB_GRACE_MS = 10_000;

/** How long cancel() waits for the turn to be failed (or to complete), and how often it looks. */
const CANCEL_WAIT_MS = 5000;
const CANCEL_POLL_MS = 25;

export const DEFAULT_ACTIVE_TTL_MS = 30 * 60_000;

function turnInProgress(details?: { task_id: string; status: string }): DramaError {
  return new DramaError('turn_in_progress', 'This session already has a turn in progress', details ? { details } : {});
}

export class BullMqTurnQueue implements TurnQueue {
  readonly #redis: Redis;
  readonly #logger: Logger;
  readonly #prefix: string;
  readonly #retry: RetryPolicy;
  readonly #activeTtlMs: number;
  readonly #queue: Queue;
  readonly #cancels: TurnCancels;
  readonly #jobOptions: JobsOptions;
  #closing = false;

  constructor(options: BullMqTurnQueueOptions) {
    this.#redis = options.redis;
    this.#logger = options.logger;
    this.#prefix = options.prefix ?? 'md';
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#activeTtlMs = options.activeTtlMs ?? DEFAULT_ACTIVE_TTL_MS;
    const names = { prefix: this.#prefix, queueName: options.queueName ?? 'turns' };
    // No events stream: nobody listens to it (QueueEvents), and each state change would write it.
    this.#queue = new Queue(names.queueName, { connection: this.#redis, prefix: bullPrefix(names), streams: { events: { maxLen: 0 } } });
    this.#queue.on('error', (err) => this.#logger.warn({ err: err.message }, 'queue error'));
    this.#cancels = new TurnCancels({ redis: this.#redis, prefix: this.#prefix, ttlMs: this.#activeTtlMs });
    this.#jobOptions = {
      attempts: this.#retry.attempts,
      backoff: { type: 'exponential', delay: this.#retry.backoffMs },
      // The turn itself is in the database; a finished job only answers status reads for a while.
      removeOnComplete: { age: 300, count: 20_000 },
      removeOnFail: { age: 24 * 3600 },
    };
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

  /** The session's "turn in flight" key's expiry (what a claim of it elsewhere must set too). */
  get activeTtlMs(): number {
    return this.#activeTtlMs;
  }

  async enqueue(job: TurnJob, options: EnqueueOptions = {}): Promise<TaskStatus> {
    if (this.#closing) {
      if (options.claimed) await releaseSession(this.#redis, this.#prefix, job.sessionId, job.taskId).catch(() => undefined);
      throw new DramaError('shutting_down', 'The server is shutting down; try again shortly', { retryable: true });
    }
    if (options.claimed) return this.#add(job);
    const key = activeKey(this.#prefix, job.sessionId);
    for (let tries = 0; tries < 2; tries++) {
      if ((await this.#redis.set(key, job.taskId, 'PX', this.#activeTtlMs, 'NX')) === 'OK') return this.#add(job);
      const holder = await this.#redis.get(key);
      if (holder === null) continue;
      const status = await this.getStatus(holder);
      // This task's own key: a retried request whose first try took it (its job may not have
      // been added: Redis went away between the two). Adding it again is harmless.
      if (holder === job.taskId) return status ?? this.#add(job);
      // No job yet under a young key: another request took the session and is adding its job
      // (after a budget check, say). Taking the key from it would let two turns in.
      if (!status && (await this.#jobBeingAdded(key))) throw turnInProgress({ task_id: holder, status: 'queued' });
      // A finished (or vanished) job whose key was never released must not block the session.
      if (!status || status.state === 'completed' || status.state === 'failed') {
        await releaseSession(this.#redis, this.#prefix, job.sessionId, holder);
        continue;
      }
      throw turnInProgress({ task_id: holder, status: status.state });
    }
    throw turnInProgress();
  }

  async holdsSession(sessionId: string, taskId: string): Promise<boolean> {
    return (await this.#redis.get(activeKey(this.#prefix, sessionId))) === taskId;
  }

  /** Read-only: a stale key is left for `enqueue` to clear. */
  async isBusy(sessionId: string): Promise<boolean> {
    const key = activeKey(this.#prefix, sessionId);
    const holder = await this.#redis.get(key);
    if (holder === null) return false;
    const status = await this.getStatus(holder);
    if (status) return status.state !== 'completed' && status.state !== 'failed';
    // No job under the key: either an enqueue is between taking the key and adding the job (a
    // young key: busy), or the job vanished long ago without releasing it (blocks nothing).
    return this.#jobBeingAdded(key);
  }

  /** A session key with no job under it is young enough that its taker may still be adding the job. */
  async #jobBeingAdded(key: string): Promise<boolean> {
    return (await this.#redis.pttl(key)) > this.#activeTtlMs - ADDING_JOB_GRACE_MS;
  }

  async #add(job: TurnJob): Promise<TaskStatus> {
    try {
      await this.#queue.add('turn', job, { ...this.#jobOptions, jobId: job.taskId });
    } catch (err) {
      await releaseSession(this.#redis, this.#prefix, job.sessionId, job.taskId).catch(() => undefined);
      throw new DramaError('shutting_down', 'The turn queue is unavailable', { retryable: true, cause: err });
    }
    return { taskId: job.taskId, sessionId: job.sessionId, state: 'queued', attempts: 0, result: null, error: null };
  }

  /**
   * The job's state. A completed job's `result` is null: the turn is read from the database
   * (DramaService.getTask), where it was committed; the job only keeps its turn number.
   */
  async getStatus(taskId: string): Promise<TaskStatus | null> {
    // State first, then the job hash: the finishing script writes the return value and the state
    // together, so a job read after seeing "completed" is complete.
    const state = await this.#queue.getJobState(taskId);
    if (state === 'unknown') return null;
    const job = (await Job.fromId(this.#queue, taskId)) as Job<TurnJob, JobReturn> | undefined;
    if (!job) return null;
    const base = { taskId, sessionId: job.data.sessionId, attempts: job.attemptsMade, result: null, error: null };
    switch (state) {
      case 'completed':
        return { ...base, state: 'completed' };
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
   * The turn is failed by a worker (the job's `failed`, which publishes `turn.failed`, runs
   * there): a running job is aborted through the cancel channel, a job waiting out a backoff is
   * promoted so a worker takes it and fails it at once, and a waiting job fails when a worker
   * takes it. This process only records the cancel, then waits and watches.
   */
  async cancel(sessionId: string): Promise<TaskStatus | null> {
    const taskId = await this.#redis.get(activeKey(this.#prefix, sessionId));
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

  async close(): Promise<void> {
    this.#closing = true;
    await this.#queue.close();
  }
}
