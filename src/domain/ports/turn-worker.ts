import type { TurnResult } from '../types.js';
import type { JobContext, TaskError, TurnJob } from './turn-queue.js';

/** A committed turn, and what to do once the queue has let the session take its next action. */
export interface CommittedTurn {
  result: TurnResult;
  /**
   * Tell the watchers (`turn.completed`) and run the after-commit work (rolling summaries). Called
   * after the session is free again, because clients act on `turn.completed` at once.
   */
  announce(): Promise<void>;
}

/** What a TurnWorker calls for each job. */
export interface TurnJobHandlers {
  /**
   * Run the turn through its commit. Idempotent: a job whose task already committed writes
   * nothing and resolves with that turn (its `announce` tells the watchers again: a worker that
   * died between commit and announce leaves clients waiting otherwise; they dedupe by turn).
   */
  run(job: TurnJob, ctx: JobContext): Promise<CommittedTurn>;
  /** An attempt failed and the job will run again after `delayMs` (`worker_lost` after a crash). */
  retrying(job: TurnJob, error: TaskError, attempt: number, delayMs: number): Promise<void>;
  /** The job failed for good (or was cancelled); the session is already free. */
  failed(job: TurnJob, error: TaskError, attempts: number): Promise<void>;
}

/**
 * The consumer side of the turn queue: runs jobs with the domain's {@link TurnJobHandlers}. For
 * each job it calls `run`; once that resolves (the turn is committed) it lets the session take its
 * next action and then calls the result's `announce`. A retryable failure is retried with
 * exponential backoff (`retrying` hears of it), a final one ends in `failed`, once. A worker that
 * dies mid-turn loses nothing: another runs the job again, and `run` is idempotent.
 */
export interface TurnWorker {
  /** Begin taking jobs. */
  start(handlers: TurnJobHandlers): void;
  /** Stop taking jobs, wait up to `graceMs` for running ones, then abort them (they run again elsewhere). */
  close(opts?: { graceMs?: number }): Promise<void>;
}
