/**
 * A turn as a queue job: what a worker does with it (run it, announce it), and how the watchers
 * hear that an attempt will be retried or that the turn failed. Every queue (in-process, BullMQ)
 * drives these handlers the same way (see TurnWorker); the runtime only wraps them with metrics
 * and tracing.
 * @module
 */
import type { TaskError, TurnJob, JobContext } from './ports/turn-queue.js';
import { runTurn } from './run-turn.js';
import { restoreAfterFailedRetry } from './timeline-service.js';
import type { TurnDeps } from './turn-deps.js';
import type { TurnResult } from './types.js';

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

/** The turn number a failing job was playing, for its events. */
async function turnNoOf(deps: TurnDeps, job: TurnJob): Promise<number> {
  if (job.turnNo !== undefined) return job.turnNo;
  const session = await deps.store.sessions.getSession(job.sessionId);
  return (session?.turnNo ?? 0) + 1;
}

/** The handlers of a turn job over the resource bag. */
export function createTurnJob(deps: TurnDeps): TurnJobHandlers {
  return {
    run: (job, ctx) => runTurn(deps, job, ctx),

    async retrying(job, error, attempt, delayMs) {
      await deps.bus.publish({ type: 'turn.retrying', error, attempt, delayMs, sessionId: job.sessionId, taskId: job.taskId, turnNo: await turnNoOf(deps, job) });
    },

    async failed(job, error) {
      // First: a client acting on turn.failed reads the session with its take put back.
      await restoreAfterFailedRetry(deps, job);
      await deps.bus.publish({ type: 'turn.failed', error, sessionId: job.sessionId, taskId: job.taskId, turnNo: await turnNoOf(deps, job) });
    },
  };
}
