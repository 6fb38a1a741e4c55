import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { NewStory, StoryFilter, StoryPageRequest, StoryStore } from '../../domain/ports/story-store.js';
import type { StoryHead, StoryRecord, StoryVersion } from '../../domain/types.js';
import { sessions, stories, storyVersions } from '../schema/index.js';
import type { StoryRow, StoryVersionRow } from '../schema/types.js';
import type { Db } from './query.js';
import type { RawQuery, Statement } from './statement.js';
import { deleteStoryRow, listStoryRows } from './story-list.js';

// Read at every session start: a fixed statement, so it runs on the hot path's connections.
const STORY_HEAD: Statement = {
  name: 'md_story_head_v1',
  text: `SELECT id, slug, title, owner_id AS "ownerId", current_version AS "currentVersion", visibility, hidden, created_at AS "createdAt"
  FROM stories WHERE id = $1::text AND deleted_at IS NULL LIMIT 1`,
};

function toStoryRecord(row: StoryRow): StoryRecord {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    ownerId: row.ownerId,
    currentVersion: row.currentVersion,
    source: row.source,
    sourceFiles: row.sourceFiles ?? null,
    sourceKey: row.sourceKey,
    visibility: row.visibility,
    hidden: row.hidden,
    createdAt: row.createdAt,
  };
}

function toStoryVersion(row: StoryVersionRow): StoryVersion {
  return {
    storyId: row.storyId,
    hash: row.hash,
    versionNo: row.versionNo,
    compiledJson: row.compiledJson,
    writableVariables: row.writableVariables,
  };
}

/** Stories and their compiled versions. */
export function createStoryRepo(db: Db, query: RawQuery): StoryStore {
  return {
    async saveStory(input: NewStory): Promise<StoryRecord> {
      return db.transaction(async (tx) => {
        // One upsert covers "new story" and "new version of an existing story", and is race-free:
        // the (owner_id, slug) constraint is NULLS NOT DISTINCT, so shipped stories conflict too.
        const [row] = await tx
          .insert(stories)
          .values({
            id: randomUUID(),
            slug: input.slug,
            title: input.title,
            ownerId: input.ownerId,
            currentVersion: input.version.hash,
            source: input.source,
            sourceFiles: input.sourceFiles ?? null,
            sourceKey: input.sourceKey ?? null,
            // Explicit for shipped stories too, rather than trusting the column default.
            visibility: input.visibility ?? (input.ownerId === null ? 'public' : 'private'),
          })
          .onConflictDoUpdate({
            target: [stories.ownerId, stories.slug],
            set: {
              title: sql`excluded.title`,
              source: sql`excluded.source`,
              sourceFiles: sql`excluded.source_files`,
              sourceKey: sql`excluded.source_key`,
              currentVersion: sql`excluded.current_version`,
              ...(input.visibility ? { visibility: sql`excluded.visibility` } : {}),
              // Uploading a deleted story's slug again brings it back.
              deletedAt: null,
              updatedAt: sql`now()`,
            },
          })
          .returning();
        if (!row) throw new Error('story upsert returned no row');
        // A version is immutable (its id is its content hash): saving it again changes nothing.
        await tx
          .insert(storyVersions)
          .values({
            storyId: row.id,
            hash: input.version.hash,
            // The next number; a version stored again (same hash) keeps its own.
            versionNo: sql`coalesce((select max(${storyVersions.versionNo}) from ${storyVersions} where ${storyVersions.storyId} = ${row.id}), 0) + 1`,
            compiledJson: input.version.compiledJson,
            writableVariables: input.version.writableVariables,
          })
          .onConflictDoNothing();
        return toStoryRecord(row);
      });
    },

    async getStory(id: string): Promise<StoryRecord | null> {
      const [row] = await db.select().from(stories).where(and(eq(stories.id, id), isNull(stories.deletedAt))).limit(1);
      return row ? toStoryRecord(row) : null;
    },

    async getStoryHead(id: string): Promise<StoryHead | null> {
      const [row] = await query<StoryHead>(STORY_HEAD, [id]);
      return row ?? null;
    },

    async getStoryBySlug(slug: string, ownerId: string | null): Promise<StoryRecord | null> {
      const owner = ownerId === null ? isNull(stories.ownerId) : eq(stories.ownerId, ownerId);
      const [row] = await db.select().from(stories).where(and(eq(stories.slug, slug), owner, isNull(stories.deletedAt))).limit(1);
      return row ? toStoryRecord(row) : null;
    },

    async listStories(filter: StoryFilter = {}, page?: StoryPageRequest): Promise<StoryRecord[]> {
      return (await listStoryRows(db, filter, page)).map(toStoryRecord);
    },

    deleteStory: (id) => deleteStoryRow(db, id),

    async updateStory(id, patch) {
      const set = {
        ...(patch.visibility !== undefined ? { visibility: patch.visibility } : {}),
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.hidden !== undefined ? { hidden: patch.hidden } : {}),
      };
      const [row] = await db
        .update(stories)
        .set({ ...set, updatedAt: sql`now()` })
        .where(eq(stories.id, id))
        .returning();
      return row ? toStoryRecord(row) : null;
    },

    async getVersion(storyId: string, hash: string): Promise<StoryVersion | null> {
      const [row] = await db
        .select()
        .from(storyVersions)
        .where(and(eq(storyVersions.storyId, storyId), eq(storyVersions.hash, hash)))
        .limit(1);
      return row ? toStoryVersion(row) : null;
    },

    async getVersionByNumber(storyId, versionNo) {
      const [row] = await db
        .select()
        .from(storyVersions)
        .where(and(eq(storyVersions.storyId, storyId), eq(storyVersions.versionNo, versionNo)))
        .limit(1);
      return row ? toStoryVersion(row) : null;
    },

    async listVersions(storyId) {
      const rows = await db
        .select({
          versionNo: storyVersions.versionNo,
          hash: storyVersions.hash,
          createdAt: storyVersions.createdAt,
          // Qualified by hand: drizzle writes these columns bare ("story_id"), which inside the subquery would be s.story_id.
          sessions: sql<number>`(select count(*)::int from ${sessions} s where s.story_id = ${storyVersions}.story_id and s.story_version = ${storyVersions}.hash)`,
        })
        .from(storyVersions)
        .where(eq(storyVersions.storyId, storyId))
        .orderBy(asc(storyVersions.versionNo));
      return rows;
    },
  };
}
