import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';
import { sessions } from './sessions.js';
import { stories } from './stories.js';

/**
 * Story cards (lorebook entries) defined through the API: story-wide (`story_id`) or for one
 * session (`session_id`); exactly one of the two is set. Cards written in the ink file itself are
 * not stored here: they come with the compiled story. Cards are few per story, so their
 * similarity is computed exactly in the application and they need no vector index.
 */
export const cards = pgTable(
  'cards',
  {
    id: text('id').primaryKey(),
    storyId: text('story_id').references(() => stories.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').references(() => sessions.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Plain keywords (case-insensitive) or `/regex/flags`. */
    keywords: jsonb('keywords').$type<string[]>().notNull(),
    text: text('text').notNull(),
    /** The card is active only while this condition over the ink state holds (null: always eligible). */
    when: text('when_condition'),
    /** Embedding of name + text, for activation by similarity to the scene. */
    embedding: real('embedding').array().notNull(),
    embeddingModel: text('embedding_model'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cards_story_id_idx').on(t.storyId),
    index('cards_session_id_idx').on(t.sessionId),
    check('cards_scope_ck', sql`(story_id IS NULL) <> (session_id IS NULL)`),
  ],
);
