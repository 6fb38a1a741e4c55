/** What the storage adapters report to metrics; not part of the domain's Store port. */
import type { Store } from '../domain/ports/store.js';

/** The in-process memory search cache of this process (see SessionVectorCache). */
export interface MemoryCacheStats {
  bytes: number;
  budgetBytes: number;
  sessions: number;
  /**
   * Searches since start: served from a current cached copy (`hits`), after reading changes
   * (`refreshes`), after reading the whole session (`loads`), or not served (`misses`: loading in
   * the background, or larger than the budget).
   */
  hits: number;
  refreshes: number;
  loads: number;
  misses: number;
}

/** The session cache (session-cache.ts): sessions in it, the budget and what it served since start. */
export interface SessionCacheStats {
  sessions: number;
  bytes: number;
  budgetBytes: number;
  /** Reads answered from the cache, and reads that went to the database. */
  hits: number;
  misses: number;
  /** Commits that brought an entry forward instead of dropping it. */
  writeThroughs: number;
}

/** Connections of a client-side pool (node-postgres); PGlite has none. */
export interface PoolStats {
  /** Open connections, idle or checked out. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
  max: number;
  /** Connections opened over the pool's life, pipelined ones too (a new one costs the server a warm-up). */
  opened: number;
  /** Open pipelined connections of the hot path (PG_PIPELINE_CONNECTIONS), beside the pool's. */
  pipelined: number;
}

/** A store as the storage adapters open it: the domain's port plus what only metrics read. */
export interface StoreWithStats extends Store {
  /** The connection pool right now; absent when there is no pool (PGlite). */
  poolStats?(): PoolStats;
  /** The in-process memory search cache; absent when it is off. */
  memoryCacheStats?(): MemoryCacheStats;
  /** The write-through session cache (session-cache.ts); absent when it is off. */
  sessionCacheStats?(): SessionCacheStats;
  /** PGlite on its own thread: its socket URL, for another thread of this process (the turn thread). */
  pgliteUrl?: string;
}
