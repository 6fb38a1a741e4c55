import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { MemoryOrigin } from '../../domain/ports/memory-store.js';
import type { StoredMemory } from '../../domain/types.js';
import { sessions } from './sessions.js';

/**
 * Session memories. `embedding` (real[]) is the portable copy every database has; where pgvector
 * is installed, a later migration adds `embedding_vec vector(256)` kept in sync by a trigger.
 * That column is deliberately not declared here: the schema must not depend on the extension.
 * `embedding_model` names the space the embedding lives in (`provider:model@dimensions`); search
 * skips rows of another model until the re-embedding job has caught up. A session's memories go
 * with it (cascade).
 */
export const memories = pgTable(
  'memories',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    turnNo: integer('turn_no').notNull(),
    kind: text('kind').$type<StoredMemory['kind']>().notNull(),
    text: text('text').notNull(),
    importance: integer('importance').notNull(),
    embedding: real('embedding').array().notNull(),
    /** Null on rows written before models were recorded: treated as the current model. */
    embeddingModel: text('embedding_model'),
    /** Pinned memories enter every turn's context, whatever their score. */
    pinned: boolean('pinned').notNull().default(false),
    /**
     * Who wrote it: `turn` (the judge, rolling summaries) follows the session's timeline (hidden
     * while its turn is undone, deleted when the turn is replaced); `player` stays put.
     */
    origin: text('origin').$type<MemoryOrigin>().notNull().default('player'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('memories_session_id_idx').on(t.sessionId),
    // What changed since a cached copy was read (see storage/vectors/session-vectors.ts).
    index('memories_session_updated_idx').on(t.sessionId, t.updatedAt),
    // Pinned memories enter every turn: found without visiting the rest of a large session.
    index('memories_session_pinned_idx').on(t.sessionId).where(sql`pinned`),
    // One rolling summary per (session, last turn folded in): summarising twice is a no-op.
    uniqueIndex('memories_summary_uq').on(t.sessionId, t.turnNo).where(sql`kind = 'summary'`),
  ],
);
