import { index, integer, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';
import type { StoredMemory } from '../../domain/types.js';
import { sessions } from './sessions.js';

/**
 * Session memories. `embedding` (real[]) is the portable copy every database has; where pgvector
 * is installed, a later migration adds `embedding_vec vector(256)` kept in sync by a trigger.
 * That column is deliberately not declared here: the schema must not depend on the extension.
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('memories_session_id_idx').on(t.sessionId)],
);
