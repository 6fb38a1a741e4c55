import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { WritableVariable } from '../../domain/types.js';
import { stories } from './stories.js';

/** A compiled story version; `hash` (content hash of the compiled JSON) is the version id. */
export const storyVersions = pgTable(
  'story_versions',
  {
    storyId: text('story_id')
      .notNull()
      .references(() => stories.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    /** 1, 2, 3… in the order the versions were stored (what authors and players call a version). */
    versionNo: integer('version_no').notNull(),
    compiledJson: text('compiled_json').notNull(),
    writableVariables: jsonb('writable_variables').$type<WritableVariable[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'story_versions_pk', columns: [t.storyId, t.hash] })],
);
