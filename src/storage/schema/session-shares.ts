import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sessions } from './sessions.js';

/**
 * Read-only links to a session's transcript (`/s/:token`). Only a SHA-256 hash of the token is
 * stored, as for API keys. A session has at most one live link: sharing again revokes the one
 * before. A revoked link stays (revoked_at set) so a leaked token keeps answering 404.
 */
export const sessionShares = pgTable(
  'session_shares',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique('session_shares_token_hash_uq'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('session_shares_session_id_idx').on(t.sessionId)],
);
