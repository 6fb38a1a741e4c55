/**
 * Builds the resource bag for a process. The only module that knows every concrete adapter;
 * the run modes differ only here.
 * @module
 */
import { DramaService } from '../domain/drama-service.js';
import type { EventBus } from '../domain/ports/event-bus.js';
import { systemClock, type Clock } from '../domain/ports/clock.js';
import type { Store } from '../domain/ports/store.js';
import type { TaskError, TurnJob, TurnQueue } from '../domain/ports/turn-queue.js';
import { runTurn } from '../domain/run-turn.js';
import type { Logger, TurnDeps } from '../domain/turn-deps.js';
import type { Env } from '../config/env.js';
import { InkStoryEngine } from '../engine/ink/ink-story-engine.js';
import { InProcessEventBus } from '../queue/in-process/in-process-event-bus.js';
import { InProcessTurnQueue } from '../queue/in-process/in-process-turn-queue.js';
import { openStore } from '../storage/db.js';
import { createModels } from './create-models.js';
import { installShippedStories } from './install-shipped-stories.js';

export interface Runtime {
  env: Env;
  deps: TurnDeps;
  queue: TurnQueue;
  service: DramaService;
  /** Stop taking turns and finish queued and running ones within the grace period. */
  drain(): Promise<void>;
  /** Drain, then close the bus and the database. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger: Logger;
  clock?: Clock;
  /** Install `*.ink` from STORIES_DIR at start (default true). */
  installStories?: boolean;
  /** Run turns in this process (default true; false for a web-only process). */
  runTurns?: boolean;
}

async function publishFailure(bus: EventBus, store: Store, job: TurnJob, body: { type: 'turn.failed'; error: TaskError } | { type: 'turn.retrying'; error: TaskError; attempt: number; delayMs: number }) {
  const session = await store.sessions.getSession(job.sessionId);
  await bus.publish({ ...body, sessionId: job.sessionId, taskId: job.taskId, turnNo: (session?.turnNo ?? 0) + 1 });
}

/** Open the store, models, queue and bus for the all-in-one process. */
export async function createRuntime(env: Env, options: RuntimeOptions): Promise<Runtime> {
  const logger = options.logger;
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE, schema: env.DATABASE_SCHEMA, logger });
  const bus = new InProcessEventBus({ bufferSize: env.EVENT_BUFFER_SIZE, bufferTtlMs: env.EVENT_BUFFER_TTL_MS });
  const queue = new InProcessTurnQueue({ concurrency: env.WORKER_CONCURRENCY, retry: { attempts: env.TURN_ATTEMPTS, backoffMs: env.TURN_BACKOFF_MS } });
  const deps: TurnDeps = {
    store,
    engine: new InkStoryEngine({ cacheSize: env.STORY_CACHE_SIZE }),
    ...createModels(env, logger),
    bus,
    clock: options.clock ?? systemClock,
    logger,
    settings: { historyTurns: env.HISTORY_TURNS, memoryTopK: env.MEMORY_TOP_K },
  };
  if (options.installStories !== false) {
    const count = await installShippedStories(deps, env.STORIES_DIR);
    logger.info({ count, dir: env.STORIES_DIR }, 'shipped stories ready');
  }
  if (options.runTurns !== false) {
    queue.start(
      async (job, ctx) => {
        const turnLogger = logger.child({ taskId: job.taskId, sessionId: job.sessionId });
        const result = await runTurn({ ...deps, logger: turnLogger }, job, ctx);
        turnLogger.info({ turnNo: result.turnNo, attempt: ctx.attempt, choice: result.decision.choiceIndex, timings: result.timings }, 'turn completed');
        return result;
      },
      {
        onRetry: (job, error, attempt, delayMs) => {
          logger.warn({ taskId: job.taskId, sessionId: job.sessionId, error, attempt, delayMs }, 'turn will be retried');
          return publishFailure(bus, store, job, { type: 'turn.retrying', error, attempt, delayMs });
        },
        onFailed: (job, error, attempts) => {
          logger.warn({ taskId: job.taskId, sessionId: job.sessionId, error, attempts }, 'turn failed');
          return publishFailure(bus, store, job, { type: 'turn.failed', error });
        },
      },
    );
  }
  const service = new DramaService(deps, queue, { maxInputChars: env.MAX_INPUT_CHARS });
  return {
    env,
    deps,
    queue,
    service,
    drain: () => queue.close({ graceMs: env.SHUTDOWN_GRACE_MS }),
    async close() {
      await queue.close({ graceMs: env.SHUTDOWN_GRACE_MS });
      await bus.close();
      await store.close();
    },
  };
}
