import { bigint, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { sessions } from './sessions.js';

/**
 * Per-session counters over `memories`, kept by statement-level triggers (migration 0006): a
 * `revision` bumped by every insert, update or delete of the session's memories, and the row
 * count. A process that caches a session's embeddings checks one primary-key row per search
 * instead of scanning the session's memories for changes.
 */
export const memoryStats = pgTable('memory_stats', {
  sessionId: text('session_id')
    .primaryKey()
    .references(() => sessions.id, { onDelete: 'cascade' }),
  revision: bigint('revision', { mode: 'number' }).notNull().default(0),
  rowCount: integer('row_count').notNull().default(0),
});
