/**
 * Planner statistics for the embedded database, which has no autovacuum to keep them.
 * @module
 */
import { sql } from 'drizzle-orm';
import type { Db } from './repos/query.js';

/** How often the embedded database refreshes its planner statistics. */
export const PGLITE_ANALYZE_INTERVAL_MS = 10 * 60_000;

/**
 * PGlite has no autovacuum, so without this its planner statistics never change: it keeps
 * assuming a session holds a handful of memories and sorts all of a large session exactly
 * instead of reading the HNSW index (30 ms instead of 5 ms at 10k memories). ANALYZE samples a
 * fixed number of rows, so it stays cheap however large the tables grow.
 */
export function analyzePeriodically(db: Db, logger: { warn(obj: object, msg?: string): void } | undefined): () => void {
  const analyze = () =>
    db.execute(sql.raw('ANALYZE')).catch((err: unknown) => logger?.warn({ err }, 'ANALYZE of the embedded database failed'));
  void analyze();
  const timer = setInterval(() => void analyze(), PGLITE_ANALYZE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
