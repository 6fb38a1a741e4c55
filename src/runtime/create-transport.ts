import type { Env } from '../config/env.js';
import type { Logger } from '../shared/log.js';
import { InProcessEventBus } from '../queue/in-process/in-process-event-bus.js';
import { InProcessTurnQueue } from '../queue/in-process/in-process-turn-queue.js';
import { InMemoryRateLimiter } from '../queue/in-process/in-memory-rate-limiter.js';
import { InMemorySocketSlots } from '../queue/in-process/in-memory-socket-slots.js';
import type { Transport, TransportHooks } from './transport.js';

/**
 * In-process without REDIS_URL (all-in-one); BullMQ + Redis pub/sub and streams with it, loaded
 * only then (create-redis-transport.ts): a process that never uses Redis never loads BullMQ,
 * Bull Board or ioredis, a few hundred ms of every start.
 */
export async function createTransport(env: Env, logger: Logger, hooks: TransportHooks = {}): Promise<Transport> {
  const retry = { attempts: env.TURN_ATTEMPTS, backoffMs: env.TURN_BACKOFF_MS };
  if (!env.REDIS_URL) {
    const bus = new InProcessEventBus({ bufferSize: env.EVENT_BUFFER_SIZE, bufferTtlMs: env.EVENT_BUFFER_TTL_MS });
    const queue = new InProcessTurnQueue({ concurrency: env.WORKER_CONCURRENCY, retry });
    return { kind: 'in-process', queue, createWorker: async () => queue, bus, rateLimiter: new InMemoryRateLimiter(), socketSlots: new InMemorySocketSlots(), ping: async () => undefined, close: () => bus.close() };
  }
  const { createRedisTransport } = await import('./create-redis-transport.js');
  return createRedisTransport(env, env.REDIS_URL, logger, hooks, retry);
}
