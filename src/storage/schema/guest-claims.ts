import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Guest users whose play an account has claimed (POST /api/auth/claim). One row per guest: the
 * primary key makes a second claim, concurrent or later, find the first instead of moving anything.
 */
export const guestClaims = pgTable('guest_claims', {
  guestId: text('guest_id').primaryKey(),
  accountId: text('account_id').notNull(),
  sessions: integer('sessions').notNull(),
  stories: integer('stories').notNull(),
  apiKeys: integer('api_keys').notNull(),
  claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
});
