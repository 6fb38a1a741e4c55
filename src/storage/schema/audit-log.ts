import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The audit log: one row per security-relevant act (domain/audit.ts). Append-only — a trigger
 * (migration 0017) makes the database refuse UPDATE, DELETE and TRUNCATE, and no route edits it.
 * No foreign keys: an entry outlives the user, session or key it names.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target').notNull(),
    requestId: text('request_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_created_at_idx').on(t.createdAt), index('audit_log_actor_idx').on(t.actor, t.createdAt), index('audit_log_action_idx').on(t.action, t.createdAt)],
);
