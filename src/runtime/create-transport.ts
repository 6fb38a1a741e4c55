import type { Env } from '../config/env.js';
import type { EventBus } from '../domain/ports/event-bus.js';
import type { RateLimiter } from '../domain/ports/rate-limiter.js';
import type { SocketSlots } from '../domain/ports/socket-slots.js';
import type { SessionHeads } from '../domain/ports/session-heads.js';
import type { TurnQueue } from '../domain/ports/turn-queue.js';
import type { TurnWorker } from '../domain/ports/turn-worker.js';
import type { Logger } from '../shared/log.js';
import type { Hono } from 'hono';
import { InProcessEventBus } from '../queue/in-process/in-process-event-bus.js';
import { InProcessTurnQueue } from '../queue/in-process/in-process-turn-queue.js';
import { InMemoryRateLimiter } from '../queue/in-process/in-memory-rate-limiter.js';
import { InMemorySocketSlots } from '../queue/in-process/in-memory-socket-slots.js';
import type { SessionHeadStats } from '../queue/redis/redis-session-heads.js';

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
  /** The queue's admin dashboard (Bull Board, distributed mode), mounted by the web server. */
  adminDashboard?: () => Hono;
  /** Throws when the queue's backing service is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Optional observers (metrics). */
export interface TransportHooks {
  /** Redis event bus: an event arrived, `lagMs` after it was published. */
  onBusDelivery?: (lagMs: number) => void;
  /** Redis turn worker: it now runs at most `n` turns at once (WORKER_TARGET_UTILIZATION). */
  onWorkerConcurrency?: (n: number) => void;
}

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
