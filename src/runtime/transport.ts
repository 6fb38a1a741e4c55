/**
 * What a process's transport is (its turn queue, event bus, rate limits and socket slots), apart
 * from how each kind is made (create-transport.ts, create-redis-transport.ts), so both can name it.
 * @module
 */
import type { Hono } from 'hono';
import type { EventBus } from '../domain/ports/event-bus.js';
import type { RateLimiter } from '../domain/ports/rate-limiter.js';
import type { SessionHeads } from '../domain/ports/session-heads.js';
import type { SocketSlots } from '../domain/ports/socket-slots.js';
import type { TurnQueue } from '../domain/ports/turn-queue.js';
import type { TurnWorker } from '../domain/ports/turn-worker.js';
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
  /** Makes the queue's admin dashboard (Bull Board, distributed mode) for the path the web server mounts it at; loaded at its first request. */
  adminDashboard?: (basePath: string) => Promise<Hono>;
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
