/**
 * The all-in-one turn queue: jobs run concurrently across sessions (bounded), one at a time per
 * session, and are retried with exponential backoff — the same policy the BullMQ queue uses.
 * @module
 */
import { LRUCache } from 'lru-cache';
import { DramaError, toDramaError, turnCancelled } from '../../domain/errors.js';
import type { QueueCounts, RetryPolicy, TaskError, TaskStatus, TurnJob, TurnQueue } from '../../domain/ports/turn-queue.js';
import type { TurnWorker } from '../../domain/ports/turn-worker.js';
import type { CommittedTurn, TurnJobHandlers } from '../../domain/ports/turn-worker.js';
import { withTimeout } from '../../shared/timeout.js';

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
  /** The pending retry, while it waits out its backoff. */
  timer?: NodeJS.Timeout;
  /** Set by cancel(): whatever the handler throws now, the turn ends as `cancelled`. */
  cancelled?: boolean;
  /** The turn committed: too late for a cancel, whatever happens next. */
  committed?: boolean;
  /** Resolves once the entry is final and its onFailed hook has run. */
  settled: Promise<void>;
  settle(): void;
}

/** How long cancel() waits for a running turn to notice its aborted signal. */
const CANCEL_WAIT_MS = 5000;

const ACTIVE: ReadonlySet<TaskStatus['state']> = new Set(['queued', 'processing', 'retrying']);

/** Producer and worker in one: the all-in-one process both accepts and runs its turns. */
export class InProcessTurnQueue implements TurnQueue, TurnWorker {
  readonly #concurrency: number;
  readonly #retry: RetryPolicy;
  readonly #ready: Entry[] = [];
  readonly #entries = new Map<string, Entry>(); // by task id: queued, running or waiting to retry
  readonly #active = new Map<string, Entry>(); // by session id: the turn that blocks the next one
  readonly #finished: LRUCache<string, TaskStatus>;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<void>>();
  #handlers: TurnJobHandlers | null = null;
  #closing = false;

  constructor(options: InProcessTurnQueueOptions = {}) {
    this.#concurrency = options.concurrency ?? 32;
    this.#retry = options.retry ?? { attempts: 3, backoffMs: 5000 };
    this.#finished = new LRUCache({ max: options.statusCapacity ?? 10_000 });
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
    let settle!: () => void;
    const entry: Entry = {
      job,
      status: { taskId: job.taskId, sessionId: job.sessionId, state: 'queued', attempts: 0, result: null, error: null },
      controller: new AbortController(),
      settled: new Promise<void>((resolve) => (settle = resolve)),
      settle: () => settle(),
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

  /** The session's slot, as enqueue and isBusy read it: #finish frees it before a turn is announced. */
  async holdsSession(sessionId: string, taskId: string): Promise<boolean> {
    return this.#active.get(sessionId)?.job.taskId === taskId;
  }

  async isBusy(sessionId: string): Promise<boolean> {
    return this.#active.has(sessionId);
  }

  async cancel(sessionId: string): Promise<TaskStatus | null> {
    const entry = this.#active.get(sessionId);
    if (!entry) return null;
    entry.cancelled = true;
    if (entry.status.state === 'processing') {
      // #run sees the flag when the handler gives up, and fails the turn as cancelled.
      entry.controller.abort(turnCancelled());
      await withTimeout(entry.settled, CANCEL_WAIT_MS, () => undefined);
      return { ...entry.status };
    }
    // Queued, waiting out a backoff, or between an attempt and its retry being scheduled (#run
    // checks the flag then): no handler runs it again, so it fails here.
    const ready = this.#ready.indexOf(entry);
    if (ready >= 0) this.#ready.splice(ready, 1);
    if (entry.timer) {
      clearTimeout(entry.timer);
      this.#timers.delete(entry.timer);
    }
    await this.#fail(entry, turnCancelled().toJSON());
    return { ...entry.status };
  }

  start(handlers: TurnJobHandlers): void {
    this.#handlers = handlers;
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
    while (this.#handlers && this.#running.size < this.#concurrency && this.#ready.length > 0) {
      const entry = this.#ready.shift()!;
      // Finished while it waited for a worker (failed by close() after its backoff ended): its
      // outcome is final and announced, so it must not run again.
      if (this.#entries.get(entry.job.taskId) !== entry) continue;
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
    const handlers = this.#handlers!;
    try {
      const committed = await handlers.run(entry.job, { attempt: status.attempts, finalAttempt, signal: entry.controller.signal });
      entry.committed = true;
      // Final and free before the announcement: a client acts on turn.completed at once.
      this.#finish(entry, { state: 'completed', result: committed.result, error: null });
      entry.settle();
      await this.#announce(committed, 1);
    } catch (err) {
      // A cancelled turn ends as cancelled whatever its aborted calls threw (the AI SDK throws
      // its own AbortError, a store call its own error).
      const error = entry.cancelled && !entry.committed ? turnCancelled() : toDramaError(err);
      const taskError: TaskError = error.toJSON();
      if (error.retryable && !finalAttempt && !this.#closing) {
        const delayMs = this.#retry.backoffMs * 2 ** (status.attempts - 1);
        status.state = 'retrying';
        status.error = taskError;
        await this.#callHook(() => handlers.retrying(entry.job, taskError, status.attempts, delayMs));
        // Cancelled while the hook ran: cancel() has failed it already.
        if (entry.cancelled && !entry.committed) return;
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          entry.timer = undefined;
          this.#ready.push(entry);
          this.#pump();
        }, delayMs);
        entry.timer = timer;
        this.#timers.add(timer);
        return;
      }
      await this.#fail(entry, taskError);
    }
  }

  /**
   * Announce a committed turn. Should the announcement fail, it is tried again after a backoff
   * (the turn stays committed and completed; watchers dedupe by turn number).
   */
  async #announce(committed: CommittedTurn, attempt: number): Promise<void> {
    try {
      await committed.announce();
    } catch {
      if (attempt >= this.#retry.attempts || this.#closing) return;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void this.#announce(committed, attempt + 1);
      }, this.#retry.backoffMs * 2 ** (attempt - 1));
      this.#timers.add(timer);
    }
  }

  /** Final failure: the status, the session freed, then the job's `failed` (turn.failed). */
  async #fail(entry: Entry, error: TaskError): Promise<void> {
    this.#finish(entry, { state: 'failed', result: null, error });
    const handlers = this.#handlers;
    if (handlers) await this.#callHook(() => handlers.failed(entry.job, error, entry.status.attempts));
    entry.settle();
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
      // These publish events; a failed publish must not change the job's outcome.
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
      if (entry.status.state === 'retrying') await this.#fail(entry, { code: 'shutting_down', message: 'The server shut down before the retry' });
    }
    const deadline = Date.now() + (opts.graceMs ?? 10_000);
    while ((this.#running.size > 0 || (this.#ready.length > 0 && this.#handlers)) && Date.now() < deadline) {
      // Short waits: a queued job that starts meanwhile joins #running, and is waited for too.
      await withTimeout(Promise.all(this.#running), 50, () => undefined);
    }
    for (const entry of this.#entries.values()) entry.controller.abort(new DramaError('shutting_down', 'Shutting down'));
    await Promise.allSettled(this.#running);
  }
}
