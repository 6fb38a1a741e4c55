import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { MemberRole } from '../../domain/types.js';
import { sessions } from './sessions.js';

/**
 * Who plays or watches a session besides its owner (the owner is the session's `owner_id`, never
 * a row here). Display names are per session.
 */
export const sessionMembers = pgTable(
  'session_members',
  {
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    role: text('role').$type<MemberRole>().notNull(),
    displayName: text('display_name'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] }), index('session_members_user_idx').on(t.userId)],
);

/**
 * Invite codes to a session, stored as SHA-256 hashes (a leaked table reveals no usable code).
 * `uses` counts joins; null `max_uses` / `expires_at` mean no limit.
 */
export const sessionInvites = pgTable('session_invites', {
  codeHash: text('code_hash').primaryKey(),
  sessionId: text('session_id')
    .notNull()
    .references(() => sessions.id, { onDelete: 'cascade' }),
  role: text('role').$type<MemberRole>().notNull(),
  maxUses: integer('max_uses'),
  uses: integer('uses').notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
