import type { TurnJobHandlers } from '../turn-job.js';

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
