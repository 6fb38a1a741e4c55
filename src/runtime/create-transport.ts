import type { Env } from '../config/env.js';
import type { EventBus } from '../domain/ports/event-bus.js';
import type { RateLimiter } from '../domain/ports/rate-limiter.js';
import type { SocketSlots } from '../domain/ports/socket-slots.js';
import type { SessionHeads } from '../domain/ports/session-heads.js';
import type { TurnQueue } from '../domain/ports/turn-queue.js';
import type { TurnWorker } from '../domain/ports/turn-worker.js';
import type { Logger } from '../shared/log.js';
import { InProcessEventBus } from '../queue/in-process/in-process-event-bus.js';
import { InProcessTurnQueue } from '../queue/in-process/in-process-turn-queue.js';
import { InMemoryRateLimiter } from '../queue/in-process/in-memory-rate-limiter.js';
import { InMemorySocketSlots } from '../queue/in-process/in-memory-socket-slots.js';
import { RedisSocketSlots } from '../queue/redis/redis-socket-slots.js';
import { RedisRateLimiter } from '../queue/redis/redis-rate-limiter.js';
import { BullMqTurnQueue } from '../queue/redis/bullmq-turn-queue.js';
import type { RedisOptions } from 'ioredis';
import { createRedis } from '../queue/redis/redis-connection.js';
import { RedisEventBus } from '../queue/redis/redis-event-bus.js';
import { RedisSessionHeads, type SessionHeadStats } from '../queue/redis/redis-session-heads.js';

/** The turn queue and event bus of a process, and how to release them. */
export interface Transport {
  kind: 'in-process' | 'redis';
  /** The producer side: enqueue, status, cancel. */
  queue: TurnQueue;
  /** The worker side, made only by processes that run turns (web processes never load it). */
  createWorker(): Promise<TurnWorker>;
  bus: EventBus;
  /** Distributed (SESSION_HEAD_CACHE=on): sessions' facts every process shares (domain/ports/session-heads.ts); `stats` where actions claim them. */
  heads?: SessionHeads & { stats?(): SessionHeadStats };
  /** Request rate counters: per process without Redis, shared by every web server with it. */
  rateLimiter: RateLimiter;
  /** WebSocket slots per user for the socket cap: per process without Redis, cluster-wide with it. */
  socketSlots: SocketSlots;
  /** Throws when the queue's backing service is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** In-process without REDIS_URL (all-in-one); BullMQ + Redis pub/sub and streams with it. */
/** Optional observers (metrics). */
export interface TransportHooks {
  /** Redis event bus: an event arrived, `lagMs` after it was published. */
  onBusDelivery?: (lagMs: number) => void;
  /** Redis turn worker: it now runs at most `n` turns at once (WORKER_TARGET_UTILIZATION). */
  onWorkerConcurrency?: (n: number) => void;
}

export function createTransport(env: Env, logger: Logger, hooks: TransportHooks = {}): Transport {
  const retry = { attempts: env.TURN_ATTEMPTS, backoffMs: env.TURN_BACKOFF_MS };
  if (!env.REDIS_URL) {
    const bus = new InProcessEventBus({ bufferSize: env.EVENT_BUFFER_SIZE, bufferTtlMs: env.EVENT_BUFFER_TTL_MS });
    const queue = new InProcessTurnQueue({ concurrency: env.WORKER_CONCURRENCY, retry });
    return { kind: 'in-process', queue, createWorker: async () => queue, bus, rateLimiter: new InMemoryRateLimiter(), socketSlots: new InMemorySocketSlots(), ping: async () => undefined, close: () => bus.close() };
  }
  const url = env.REDIS_URL;
  const connections = new Set<ReturnType<typeof createRedis>>();
  const connect = (name: string, extra: RedisOptions = {}) => {
    const c = createRedis(url, logger, name, extra);
    connections.add(c);
    return c;
  };
  const redis = connect('commands');
  // Events get a connection of their own, so a worker's deltas never queue behind BullMQ's
  // commands. Not auto-pipelined: batching what one loop iteration publishes saved syscalls but
  // cost more JavaScript than it saved (`npx tsx bench/tools/publish-cpu.ts`, fresh processes:
  // 190–218 µs of CPU per event with it against 142–181 without; Redis's own CPU the same).
  const events = connect('events');
  const bus = new RedisEventBus({ redis: events, subscriber: connect('subscriber'), logger, prefix: env.REDIS_PREFIX, bufferSize: env.EVENT_BUFFER_SIZE, bufferTtlMs: env.EVENT_BUFFER_TTL_MS, ...(hooks.onBusDelivery ? { onDelivery: hooks.onBusDelivery } : {}) });
  const queue = new BullMqTurnQueue({ redis, logger, prefix: env.REDIS_PREFIX, retry });
  const createWorker = async (): Promise<TurnWorker> => {
    const { BullMqTurnWorker } = await import('../queue/redis/bullmq-turn-worker.js');
    return new BullMqTurnWorker({
      redis,
      connect,
      logger,
      prefix: env.REDIS_PREFIX,
      retry,
      concurrency: env.WORKER_CONCURRENCY,
      lockMs: env.QUEUE_LOCK_MS,
      stalledIntervalMs: env.QUEUE_STALLED_INTERVAL_MS,
      lockKeeperUrl: url,
      targetUtilization: env.WORKER_TARGET_UTILIZATION,
      ...(hooks.onWorkerConcurrency ? { onConcurrency: hooks.onWorkerConcurrency } : {}),
    });
  };
  const socketSlots = new RedisSocketSlots({ redis, logger, prefix: env.REDIS_PREFIX, ttlMs: env.WS_SLOT_TTL_MS });
  const heads = env.SESSION_HEAD_CACHE === 'on' ? new RedisSessionHeads({ redis, prefix: env.REDIS_PREFIX, activeTtlMs: queue.activeTtlMs }) : undefined;
  logger.info({ queue: 'bullmq', bus: 'redis', prefix: env.REDIS_PREFIX, sessionHeads: env.SESSION_HEAD_CACHE }, 'distributed mode: turns and events go through Redis');
  return {
    kind: 'redis',
    queue,
    createWorker,
    bus,
    ...(heads ? { heads } : {}),
    rateLimiter: new RedisRateLimiter(redis, env.REDIS_PREFIX),
    socketSlots,
    async ping() {
      if ((await redis.ping()) !== 'PONG') throw new Error('redis did not answer PING');
    },
    async close() {
      await queue.close();
      await socketSlots.close();
      await bus.close();
      for (const c of connections) c.disconnect();
    },
  };
}
