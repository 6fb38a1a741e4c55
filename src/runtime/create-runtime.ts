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
import { DramaError } from '../domain/errors.js';
import { openStore } from '../storage/db.js';
import { DEFAULT_PRICES } from '../domain/pricing.js';
import { createModels, type Models } from './create-models.js';
import { createTransport, type Transport } from './create-transport.js';
import { installShippedStories } from './install-shipped-stories.js';

/** What a process does: everything (`all`), HTTP only (`serve`), or turns only (`work`). */
export type ProcessRole = 'all' | 'serve' | 'work';

export interface Runtime {
  env: Env;
  role: ProcessRole;
  transport: Transport;
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
  /** Install `*.ink` from STORIES_DIR at start (default: yes, except for workers). */
  installStories?: boolean;
  role?: ProcessRole;
}

async function publishFailure(bus: EventBus, store: Store, job: TurnJob, body: { type: 'turn.failed'; error: TaskError } | { type: 'turn.retrying'; error: TaskError; attempt: number; delayMs: number }) {
  const session = await store.sessions.getSession(job.sessionId);
  await bus.publish({ ...body, sessionId: job.sessionId, taskId: job.taskId, turnNo: (session?.turnNo ?? 0) + 1 });
}

function modelDeps(models: Models): Pick<TurnDeps, 'narrator' | 'judge' | 'embedder' | 'fallbackJudge'> {
  const { narrator, judge, embedder, fallbackJudge } = models;
  return fallbackJudge ? { narrator, judge, embedder, fallbackJudge } : { narrator, judge, embedder };
}

/** Open the store, models, queue and bus for the all-in-one process. */
export async function createRuntime(env: Env, options: RuntimeOptions): Promise<Runtime> {
  const logger = options.logger;
  const role = options.role ?? 'all';
  if (role !== 'all' && !env.REDIS_URL) {
    throw new DramaError('config_invalid', `\`mock-drama ${role}\` needs REDIS_URL: web servers and workers share the queue and events through Redis. Use \`mock-drama all\` for a single process.`);
  }
  if (role !== 'all' && !env.DATABASE_URL) {
    throw new DramaError('config_invalid', `\`mock-drama ${role}\` needs DATABASE_URL: the embedded database belongs to one process.`);
  }
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE, schema: env.DATABASE_SCHEMA, logger });
  const transport = createTransport(env, logger);
  const { bus, queue } = transport;
  const deps: TurnDeps = {
    store,
    engine: new InkStoryEngine({ cacheSize: env.STORY_CACHE_SIZE }),
    ...modelDeps(createModels(env, logger)),
    bus,
    clock: options.clock ?? systemClock,
    logger,
    settings: { historyTurns: env.HISTORY_TURNS, memoryTopK: env.MEMORY_TOP_K, prices: { ...DEFAULT_PRICES, ...env.MODEL_PRICES } },
  };
  if (options.installStories ?? role !== 'work') {
    const count = await installShippedStories(deps, env.STORIES_DIR);
    logger.info({ count, dir: env.STORIES_DIR }, 'shipped stories ready');
  }
  if (role !== 'serve') {
    queue.start(
      async (job, ctx) => {
        const turnLogger = logger.child({ taskId: job.taskId, sessionId: job.sessionId });
        turnLogger.info({ attempt: ctx.attempt }, 'turn started');
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
  const service = new DramaService(deps, queue, { maxInputChars: env.MAX_INPUT_CHARS, dailyTokenBudget: env.DAILY_TOKEN_BUDGET });
  return {
    env,
    role,
    transport,
    deps,
    queue,
    service,
    drain: () => queue.close({ graceMs: env.SHUTDOWN_GRACE_MS }),
    async close() {
      await queue.close({ graceMs: env.SHUTDOWN_GRACE_MS });
      await transport.close();
      await store.close();
    },
  };
}
