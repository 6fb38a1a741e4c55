import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { RoundState, SessionStatus, SessionSteering, StoryView, TurnMode } from '../../domain/types.js';
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
    /** The player's author's note, persona and instructions for the narrator (PATCH /api/sessions/:id); null when none. */
    steering: jsonb('steering').$type<SessionSteering>(),
    /** Who acts when in a shared session (free, round, vote); null for a session nobody joined (one player, 409 while a turn runs). */
    turnMode: text('turn_mode').$type<TurnMode>(),
    /** Round mode: whose turn it is and since when. */
    round: jsonb('round').$type<RoundState>(),
    /** Vote mode: when the open vote closes (null when no vote is open). */
    voteDeadline: timestamp('vote_deadline', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // By story, newest first: the author's analytics read a story's sessions (and its most recent ones).
  (t) => [index('sessions_owner_id_idx').on(t.ownerId), index('sessions_story_created_idx').on(t.storyId, t.createdAt)],
);
