/**
 * The all-in-one turn queue: jobs run concurrently across sessions (bounded), one at a time per
 * session, and are retried with exponential backoff — the same policy the BullMQ queue uses.
 * @module
 */
import { DramaError, toDramaError } from '../../domain/errors.js';
import type { QueueCounts, QueueHooks, RetryPolicy, TaskError, TaskStatus, TurnHandler, TurnJob, TurnQueue } from '../../domain/ports/turn-queue.js';
import { LruCache } from '../../shared/lru-cache.js';

export interface InProcessTurnQueueOptions {
  concurrency?: number;
  retry?: RetryPolicy;
  /** Finished task statuses kept for `getStatus` (older ones are read from the turn table). */
  statusCapacity?: number;
}

interface Entry {
  job: TurnJob;
  status: TaskStatus;
  controller: AbortController;
}

const ACTIVE: ReadonlySet<TaskStatus['state']> = new Set(['queued', 'processing', 'retrying']);

export class InProcessTurnQueue implements TurnQueue {
  readonly #concurrency: number;
  readonly #retry: RetryPolicy;
  readonly #ready: Entry[] = [];
  readonly #entries = new Map<string, Entry>(); // by task id: queued, running or waiting to retry
  readonly #active = new Map<string, Entry>(); // by session id: the turn that blocks the next one
  readonly #finished: LruCache<string, TaskStatus>;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<void>>();
  #handler: TurnHandler | null = null;
  #hooks: QueueHooks = {};
  #closing = false;

  constructor(options: InProcessTurnQueueOptions = {}) {
    this.#concurrency = options.concurrency ?? 32;
    this.#retry = options.retry ?? { attempts: 3, backoffMs: 5000 };
    this.#finished = new LruCache(options.statusCapacity ?? 10_000);
  }

  async enqueue(job: TurnJob): Promise<TaskStatus> {
    if (this.#closing) throw new DramaError('shutting_down', 'The server is shutting down; try again shortly', { retryable: true });
    const current = this.#active.get(job.sessionId);
    // The same task enqueued twice (a retried request with an idempotency key) is harmless.
    if (current?.job.taskId === job.taskId) return { ...current.status };
    if (current) {
      throw new DramaError('turn_in_progress', 'This session already has a turn in progress', {
        details: { task_id: current.job.taskId, status: current.status.state },
      });
    }
    const entry: Entry = {
      job,
      status: { taskId: job.taskId, sessionId: job.sessionId, state: 'queued', attempts: 0, result: null, error: null },
      controller: new AbortController(),
    };
    this.#active.set(job.sessionId, entry);
    this.#entries.set(job.taskId, entry);
    this.#ready.push(entry);
    this.#pump();
    return { ...entry.status };
  }

  async getStatus(taskId: string): Promise<TaskStatus | null> {
    const entry = this.#entries.get(taskId);
    if (entry) return { ...entry.status };
    const done = this.#finished.get(taskId);
    return done ? { ...done } : null;
  }

  async isBusy(sessionId: string): Promise<boolean> {
    return this.#active.has(sessionId);
  }

  start(handler: TurnHandler, hooks: QueueHooks = {}): void {
    this.#handler = handler;
    this.#hooks = hooks;
    this.#pump();
  }

  /** Jobs queued, running or waiting for a retry. */
  get depth(): number {
    return this.#entries.size;
  }

  async counts(): Promise<QueueCounts> {
    return { waiting: this.#ready.length, active: this.#running.size, delayed: this.#timers.size };
  }

  #pump(): void {
    while (this.#handler && this.#running.size < this.#concurrency && this.#ready.length > 0) {
      const entry = this.#ready.shift()!;
      const run = this.#run(entry).finally(() => {
        this.#running.delete(run);
        this.#pump();
      });
      this.#running.add(run);
    }
  }

  async #run(entry: Entry): Promise<void> {
    const { status } = entry;
    status.attempts += 1;
    status.state = 'processing';
    const finalAttempt = status.attempts >= this.#retry.attempts;
    try {
      const result = await this.#handler!(entry.job, {
        attempt: status.attempts,
        finalAttempt,
        signal: entry.controller.signal,
        markCommitted: async () => this.#releaseSession(entry),
      });
      this.#finish(entry, { state: 'completed', result, error: null });
    } catch (err) {
      const error = toDramaError(err);
      const taskError: TaskError = error.toJSON();
      if (error.retryable && !finalAttempt && !this.#closing) {
        const delayMs = this.#retry.backoffMs * 2 ** (status.attempts - 1);
        status.state = 'retrying';
        status.error = taskError;
        await this.#callHook(() => this.#hooks.onRetry?.(entry.job, taskError, status.attempts, delayMs));
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          this.#ready.push(entry);
          this.#pump();
        }, delayMs);
        this.#timers.add(timer);
        return;
      }
      this.#finish(entry, { state: 'failed', result: null, error: taskError });
      await this.#callHook(() => this.#hooks.onFailed?.(entry.job, taskError, status.attempts));
    }
  }

  #finish(entry: Entry, outcome: Pick<TaskStatus, 'state' | 'result' | 'error'>): void {
    Object.assign(entry.status, outcome);
    this.#entries.delete(entry.job.taskId);
    this.#releaseSession(entry);
    this.#finished.set(entry.job.taskId, entry.status);
  }

  #releaseSession(entry: Entry): void {
    if (this.#active.get(entry.job.sessionId) === entry) this.#active.delete(entry.job.sessionId);
  }

  async #callHook(call: () => void | Promise<void>): Promise<void> {
    try {
      await call();
    } catch {
      // Hooks publish events; a failed publish must not change the job's outcome.
    }
  }

  /**
   * Stop accepting jobs, let queued and running ones finish within `graceMs`, then abort what
   * is left. Jobs waiting for a retry are failed with `shutting_down` so their status is final.
   */
  async close(opts: { graceMs?: number } = {}): Promise<void> {
    this.#closing = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const entry of [...this.#entries.values()]) {
      if (entry.status.state === 'retrying') {
        const error = { code: 'shutting_down', message: 'The server shut down before the retry' };
        this.#finish(entry, { state: 'failed', result: null, error });
        await this.#callHook(() => this.#hooks.onFailed?.(entry.job, error, entry.status.attempts));
      }
    }
    const deadline = Date.now() + (opts.graceMs ?? 10_000);
    while ((this.#running.size > 0 || (this.#ready.length > 0 && this.#handler)) && Date.now() < deadline) {
      await Promise.race([Promise.all(this.#running), new Promise((r) => setTimeout(r, 50))]);
    }
    for (const entry of this.#entries.values()) entry.controller.abort(new DramaError('shutting_down', 'Shutting down'));
    await Promise.allSettled(this.#running);
  }
}
