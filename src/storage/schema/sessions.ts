import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { SessionStatus, StoryView } from '../../domain/types.js';
import { stories } from './stories.js';

/**
 * A play session: the ink state after the last committed turn and what the player sees.
 * `version` is the optimistic-concurrency counter that every committed turn bumps.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    // No cascade: deleting a story must not silently delete people's sessions.
    storyId: text('story_id')
      .notNull()
      .references(() => stories.id),
    storyVersion: text('story_version').notNull(),
    inkState: text('ink_state').notNull(),
    turnNo: integer('turn_no').notNull().default(0),
    version: integer('version').notNull().default(0),
    status: text('status').$type<SessionStatus>().notNull().default('active'),
    view: jsonb('view').$type<StoryView>().notNull(),
    /** Set on a fork: the session and turn it was copied from (no FK, the source may be deleted). */
    forkedFrom: text('forked_from'),
    forkedAtTurn: integer('forked_at_turn'),
    /** Set by an upgrade: the turn at which the session moved to another story version; the timeline cannot go back past it. */
    upgradedAtTurn: integer('upgraded_at_turn'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_owner_id_idx').on(t.ownerId), index('sessions_story_id_idx').on(t.storyId)],
);
