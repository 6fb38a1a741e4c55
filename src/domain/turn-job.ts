/**
 * A turn as a queue job: what a worker does with it (run it, announce it), and how the watchers
 * hear that an attempt will be retried or that the turn failed. Every queue (in-process, BullMQ)
 * drives these handlers the same way (see TurnWorker); the runtime only wraps them with metrics
 * and tracing.
 * @module
 */
import type { TurnJob } from './ports/turn-queue.js';
import type { TurnJobHandlers } from './ports/turn-worker.js';
import { runTurn } from './run-turn.js';
import { restoreAfterFailedRetry } from './timeline-service.js';
import type { TurnDeps } from './turn-deps.js';

/** The turn number a failing job was playing, for its events. */
async function turnNoOf(deps: TurnDeps, job: TurnJob): Promise<number> {
  if (job.turnNo !== undefined) return job.turnNo;
  const session = await deps.store.sessions.getSession(job.sessionId);
  return (session?.turnNo ?? 0) + 1;
}

/**
 * The handlers of a turn job over the resource bag. `next` starts what waits in a shared
 * session once its turn has ended (TurnArbiter.pump); queues call `announce` and `failed` after
 * they freed the session, so the next action can start.
 */
export function createTurnJob(deps: TurnDeps, next?: (sessionId: string) => Promise<void>): TurnJobHandlers {
  const startNext = async (job: TurnJob) => {
    if (!job.shared || !next) return;
    await next(job.sessionId).catch((err: unknown) => deps.logger.warn({ err, sessionId: job.sessionId }, "could not start the session's next action"));
  };
  return {
    async run(job, ctx) {
      const turn = await runTurn(deps, job, ctx);
      if (!job.shared) return turn;
      return {
        ...turn,
        async announce() {
          await turn.announce();
          await startNext(job);
        },
      };
    },

    async retrying(job, error, attempt, delayMs) {
      await deps.bus.publish({ type: 'turn.retrying', error, attempt, delayMs, sessionId: job.sessionId, taskId: job.taskId, turnNo: await turnNoOf(deps, job) });
    },

    async failed(job, error) {
      // First: a client acting on turn.failed reads the session with its take put back.
      await restoreAfterFailedRetry(deps, job);
      await deps.bus.publish({ type: 'turn.failed', error, sessionId: job.sessionId, taskId: job.taskId, turnNo: await turnNoOf(deps, job) });
      await startNext(job);
    },
  };
}
