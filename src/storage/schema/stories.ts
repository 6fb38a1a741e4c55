import { pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

/**
 * A story and its current version. `owner_id` null marks a shipped (built-in) story.
 * The slug is unique per owner; NULLS NOT DISTINCT (PostgreSQL 15+) makes the shipped stories,
 * which all share the null owner, one namespace too, and still lets `ON CONFLICT (owner_id, slug)` work.
 */
export const stories = pgTable(
  'stories',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    ownerId: text('owner_id'),
    currentVersion: text('current_version').notNull(),
    /** Ink source of the current version (older sources are not kept; versions keep compiled JSON). */
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('stories_owner_slug_uq').on(t.ownerId, t.slug).nullsNotDistinct()],
);
