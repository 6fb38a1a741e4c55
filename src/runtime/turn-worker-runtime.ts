/**
 * The worker side of a process: the domain's turn job, wrapped with logs, metrics and tracing,
 * run by the queue's worker. Only processes that run turns (`all`, `work`) build it.
 * @module
 */
import type { Clock } from '../domain/ports/clock.js';
import type { EventBus } from '../domain/ports/event-bus.js';
import type { TurnWorker } from '../domain/ports/turn-worker.js';
import type { TurnJobHandlers } from '../domain/ports/turn-worker.js';
import { createTurnJob } from '../domain/turn-job.js';
import { lazyChild, type Logger } from '../shared/log.js';
import type { TurnDeps } from '../domain/turn-deps.js';
import { instrumentBus, instrumentTurns } from '../observability/instrument.js';
import type { Metrics } from '../observability/metrics.js';
import { traceTurns } from '../observability/trace-turns.js';
import type { Tracing } from '../observability/tracing.js';

export interface TurnWorkerRuntime {
  deps: TurnDeps;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  /** Record metrics (false only to measure what recording costs). */
  instrument: boolean;
  tracing: Tracing;
  /** What carries a job between processes, on spans. */
  messagingSystem: string;
  /** Starts what waits in a shared session after its turn (TurnArbiter.pump). */
  next?: (sessionId: string) => Promise<void>;
}

/** Each job runs with its own logger (task and session ids) and a bus that notes its first delta. */
function perJob(rt: TurnWorkerRuntime): TurnJobHandlers {
  const { deps, logger, metrics } = rt;
  const shared = createTurnJob(deps, rt.next);
  return {
    async run(job, ctx) {
      const turnLogger = lazyChild(logger, { taskId: job.taskId, sessionId: job.sessionId });
      turnLogger.info({ attempt: ctx.attempt }, 'turn started');
      const bus = rt.instrument ? instrumentBus(rt.bus, job, metrics, rt.clock) : rt.bus;
      const committed = await createTurnJob({ ...deps, logger: turnLogger, bus }, rt.next).run(job, ctx);
      const result = committed.result;
      turnLogger.info({ turnNo: result.turnNo, attempt: ctx.attempt, choice: result.decision.choiceIndex, timings: result.timings }, 'turn completed');
      return committed;
    },
    retrying(job, error, attempt, delayMs) {
      logger.warn({ taskId: job.taskId, sessionId: job.sessionId, error, attempt, delayMs }, 'turn will be retried');
      return shared.retrying(job, error, attempt, delayMs);
    },
    failed(job, error, attempts) {
      logger.warn({ taskId: job.taskId, sessionId: job.sessionId, error, attempts }, 'turn failed');
      return shared.failed(job, error, attempts);
    },
  };
}

/** Start `worker` on the instrumented turn job. */
export function startTurnWorker(worker: TurnWorker, rt: TurnWorkerRuntime, concurrency: number): void {
  rt.metrics.workerConcurrency.set(concurrency);
  let handlers = perJob(rt);
  if (rt.instrument) handlers = instrumentTurns(rt.metrics, rt.clock, handlers);
  if (rt.tracing.enabled) handlers = traceTurns(rt.tracing.tracer, rt.clock, rt.messagingSystem, handlers);
  worker.start(handlers);
}
