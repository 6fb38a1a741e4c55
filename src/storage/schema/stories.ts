import { boolean, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import type { InkFiles } from '../../domain/ports/story-engine.js';
import type { StoryVisibility } from '../../domain/types.js';

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
    /** A story of several files: all of them, and which is compiled (`source` is that one's text); null for one file. */
    sourceFiles: jsonb('source_files').$type<InkFiles>(),
    /**
     * What compiled `current_version`: a hash of the source (all its files) and of the compiler
     * that read it (domain/stories.ts, `storySourceKey`). The same source and compiler give the
     * same version, so installing it again (every shipped story, at every web process's start)
     * need not compile it. Null on stories stored before it was kept: they compile once more.
     */
    sourceKey: text('source_key'),
    /** Uploaded stories start private; shipped stories (null owner) are always public. */
    visibility: text('visibility').$type<StoryVisibility>().notNull().default('private'),
    /** Set by a moderator: the story is hidden from everyone but its owner and admins. */
    hidden: boolean('hidden').notNull().default(false),
    /**
     * Set when the owner deleted a story that sessions still play: it leaves every listing and can
     * no longer be opened or started, while those sessions keep playing (they are not cascade-deleted).
     * A story no session plays is removed outright instead. Uploading the same slug again revives it.
     */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('stories_owner_slug_uq').on(t.ownerId, t.slug).nullsNotDistinct()],
);
