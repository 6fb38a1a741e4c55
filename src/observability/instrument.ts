/**
 * Where metrics meet the running process: thin wrappers around the turn handler, the event bus a
 * turn publishes to, and the store's memory search. The domain (run-turn) stays unaware of them.
 * @module
 */
import { isDramaError, toDramaError } from '../domain/errors.js';
import type { Clock } from '../domain/ports/clock.js';
import type { EventBus } from '../domain/ports/event-bus.js';
import type { MemoryStore } from '../domain/ports/memory-store.js';
import type { Store } from '../domain/ports/store.js';
import type { JobContext, TurnJob } from '../domain/ports/turn-queue.js';
import type { CommittedTurn, TurnJobHandlers } from '../domain/ports/turn-worker.js';
import type { Metrics } from './metrics.js';

/**
 * Wraps a turn job: queue wait, turns in progress, per-stage timings of completed turns,
 * duration and error code of failed attempts, turns lost with their worker. A task that had
 * already committed (a re-run after a lost worker) only re-announces its result: it counts as
 * `replayed`, not as a second turn.
 */
export function instrumentTurns(metrics: Metrics, clock: Clock, handlers: TurnJobHandlers): TurnJobHandlers {
  return {
    async run(job: TurnJob, ctx: JobContext): Promise<CommittedTurn> {
      const startedAt = clock.now();
      const started = performance.now();
      metrics.turnStarted(ctx.attempt, startedAt - job.enqueuedAt);
      let committed: CommittedTurn;
      try {
        committed = await handlers.run(job, ctx);
      } catch (err) {
        // An aborted turn failed for the abort's reason (a cancel, a shutdown), whatever its calls threw.
        const error = toDramaError(ctx.signal.aborted && isDramaError(ctx.signal.reason) ? ctx.signal.reason : err);
        // The queues retry a retryable error while attempts remain (BullMQ also hands an aborted
        // turn back when its worker shuts down).
        metrics.turnFailed(error.retryable && (!ctx.finalAttempt || ctx.signal.aborted) ? 'retrying' : 'failed', error.code, performance.now() - started);
        throw err;
      }
      const committedAt = Date.parse(committed.result.createdAt);
      const replayed = Number.isFinite(committedAt) && committedAt < startedAt;
      // Counted once announced, so the publish stage is in its timings.
      return {
        result: committed.result,
        announce: async () => {
          await committed.announce();
          metrics.turnCompleted(committed.result, replayed, performance.now() - started);
        },
      };
    },
    retrying(job, error, attempt, delayMs) {
      // A stalled job: its worker died without reporting anything; count the loss here.
      if (error.code === 'worker_lost') metrics.error('turn', error.code);
      return handlers.retrying(job, error, attempt, delayMs);
    },
    failed: (job, error, attempts) => handlers.failed(job, error, attempts),
  };
}

/**
 * The bus one turn publishes to, noting when its first narration delta is out: time from the
 * action being accepted (the job's `enqueuedAt`) to that publish having completed.
 */
export function instrumentBus(bus: EventBus, job: TurnJob, metrics: Metrics, clock: Clock): EventBus {
  let seen = false;
  return {
    publish(event) {
      const published = bus.publish(event);
      if (!seen && event.type === 'narration.delta') {
        seen = true;
        published.then(
          () => metrics.firstDelta(clock.now() - job.enqueuedAt),
          () => undefined,
        );
      }
      return published;
    },
    subscribe: (sessionId, listener, opts) => bus.subscribe(sessionId, listener, opts),
    replay: (sessionId, since) => bus.replay(sessionId, since),
    close: () => bus.close(),
  };
}

/** The store with its memory retrieval timed (`search` and `candidates`: both are the vector search). */
export function instrumentStore(store: Store, metrics: Metrics): Store {
  const memories = store.memories;
  const backend = store.vectorSupport;
  const timed = <T>(call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    return call().finally(() => metrics.memorySearch(backend, performance.now() - started));
  };
  const timedMemories: MemoryStore = {
    ...memories,
    search: (...args) => timed(() => memories.search(...args)),
    candidates: (...args) => timed(() => memories.candidates(...args)),
  };
  return { ...store, memories: timedMemories };
}
