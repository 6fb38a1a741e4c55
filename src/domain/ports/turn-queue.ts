import type { ActionKind, TurnResult } from '../types.js';

/** The payload of one turn; plain JSON so BullMQ can carry it unchanged. */
export interface TurnJob {
  taskId: string;
  sessionId: string;
  ownerId: string;
  input: string;
  action: ActionKind;
  /** Epoch ms when the job was accepted, for queue-wait timing. */
  enqueuedAt: number;
  /**
   * The turn number this job plays (the session's turn + 1 when accepted, or the turn a retry plays
   * again): what `turn.retrying`/`turn.failed` carry without reading the session. Absent in jobs
   * queued by versions before it existed.
   */
  turnNo?: number;
  /**
   * Trace context of the request that queued the job (W3C `traceparent`/`tracestate`), so the
   * worker's turn joins the web request's trace across processes. Absent when tracing is off.
   */
  traceContext?: Record<string, string>;
  /**
   * Set on a retry: the turn number it plays again. If the job fails (or is cancelled), the take
   * it replaced is put back (TimelineStore.restoreReplaced).
   */
  retryOf?: number;
  /**
   * Set for a shared session's turn: when it ends, the worker starts the session's next waiting
   * action (TurnArbiter.pump). Solo sessions skip that read.
   */
  shared?: boolean;
  /** A vote's turn: the names of everyone whose action it plays, for the narrator. */
  actors?: string[];
}

export interface EnqueueOptions {
  claimed?: boolean;
}

export type TaskState = 'queued' | 'processing' | 'retrying' | 'completed' | 'failed';

export interface TaskError {
  code: string;
  message: string;
  details?: unknown;
}

export interface TaskStatus {
  taskId: string;
  sessionId: string;
  state: TaskState;
  /** Attempts started so far (1 while the first attempt runs). */
  attempts: number;
  result: TurnResult | null;
  error: TaskError | null;
  /** A shared session's action waiting for its turn: its 1-based place in the line (absent otherwise). */
  position?: number;
}

export interface RetryPolicy {
  /** Total attempts including the first (design: 3). */
  attempts: number;
  /** Delay before the 2nd attempt; doubles after (design: 5 s). */
  backoffMs: number;
}

export interface JobContext {
  /** 1-based attempt number. */
  attempt: number;
  /** True when this is the last attempt the policy allows. */
  finalAttempt: boolean;
  /**
   * Aborted when the queue shuts down past its grace period, or when the turn is cancelled (the
   * reason is then a `cancelled` DramaError). The handler stops its model calls and must not
   * commit once it is aborted.
   */
  signal: AbortSignal;
}

/** Jobs of the whole queue (every process, for the shared BullMQ queue) by state, for metrics and the admin view. */
export interface QueueCounts {
  /** Accepted and not started yet. */
  waiting: number;
  /** Running on a worker. */
  active: number;
  /** Waiting out a retry backoff. */
  delayed: number;
}

/**
 * The producer side of the turn queue (what a web process needs): accept a job, report on it,
 * cancel it. Concurrent across sessions, strictly one job at a time per session. The consumer side
 * is {@link TurnWorker} (turn-worker.ts), so a web-only process never loads worker code.
 */
export interface TurnQueue {
  /**
   * Accept a job. Throws `turn_in_progress` if the session already has a job queued or running.
   * `claimed`: the session's slot was already taken for this job (SessionHeads.claim, the same
   * shared key), so the queue only adds it.
   */
  enqueue(job: TurnJob, options?: EnqueueOptions): Promise<TaskStatus>;
  getStatus(taskId: string): Promise<TaskStatus | null>;
  /**
   * Whether the session has a job queued, running or waiting for a retry: what `enqueue` would
   * refuse with `turn_in_progress`. Time controls (undo, redo, retry, fork) check it first.
   */
  isBusy(sessionId: string): Promise<boolean>;
  /**
   * Cancel the session's turn that is queued, running or waiting for a retry. It fails with
   * `cancelled` (never retried) and the job's `failed` runs once, as for any failure; a running
   * turn's signal is aborted so its model calls stop. Resolves with the task's status once it is
   * final, waiting a bounded time (about 5 s) for a running turn to settle: `failed`, or
   * `completed` when the turn committed before the abort landed (too late to cancel: a committed
   * turn is never reported cancelled). A turn that has not settled by then is returned as it
   * stands. Null when the session has no turn in flight (a committed turn still winding down
   * counts as done). Once it resolves with a final status the session takes a new action.
   */
  cancel(sessionId: string): Promise<TaskStatus | null>;
  /**
   * Whether the task still holds its session's slot. The worker gives the slot back after the
   * turn's commit and before announcing it, so while it is held no client has been told the turn
   * completed: its status needs no read of the turn table. Optional: without it, a status read
   * always asks the database.
   */
  holdsSession?(sessionId: string, taskId: string): Promise<boolean>;
  /** Jobs by state (metrics, admin view). Optional: a queue that cannot count leaves it out. */
  counts?(): Promise<QueueCounts>;
  /** Stop accepting jobs and release connections. */
  close(): Promise<void>;
}
