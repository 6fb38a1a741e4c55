/**
 * Distributed mode's transport: BullMQ for turns, Redis pub/sub and streams for events, Redis for
 * rate limits, socket slots and sessions' shared heads. Loaded by create-transport.ts only when
 * REDIS_URL is set.
 * @module
 */
import type { RedisOptions } from 'ioredis';
import type { Env } from '../config/env.js';
import type { TurnWorker } from '../domain/ports/turn-worker.js';
import { BullMqTurnQueue } from '../queue/redis/bullmq-turn-queue.js';
import { createRedis } from '../queue/redis/redis-connection.js';
import { RedisEventBus } from '../queue/redis/redis-event-bus.js';
import { RedisRateLimiter } from '../queue/redis/redis-rate-limiter.js';
import { RedisSessionHeads } from '../queue/redis/redis-session-heads.js';
import { RedisSocketSlots } from '../queue/redis/redis-socket-slots.js';
import type { Logger } from '../shared/log.js';
import type { Transport, TransportHooks } from './transport.js';

export function createRedisTransport(env: Env, url: string, logger: Logger, hooks: TransportHooks, retry: { attempts: number; backoffMs: number }): Transport {
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
    adminDashboard: async (basePath) => (await import('../queue/redis/bull-board.js')).createBullBoardApp([queue.bullQueue], basePath),
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
