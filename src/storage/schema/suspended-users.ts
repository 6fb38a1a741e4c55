import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Users a moderator has suspended: every authenticated request of theirs is refused. */
export const suspendedUsers = pgTable('suspended_users', {
  userId: text('user_id').primaryKey(),
  reason: text('reason').notNull(),
  suspendedBy: text('suspended_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
