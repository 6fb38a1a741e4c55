import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, not, or, sql, type SQL } from 'drizzle-orm';
import type { NewStory, StoryFilter, StoryStore } from '../../domain/ports/story-store.js';
import type { StoryRecord, StoryVersion } from '../../domain/types.js';
import { sessions, stories, storyVersions } from '../schema/index.js';
import type { StoryRow, StoryVersionRow } from '../schema/types.js';
import type { Db } from './query.js';

function toStoryRecord(row: StoryRow): StoryRecord {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    ownerId: row.ownerId,
    currentVersion: row.currentVersion,
    source: row.source,
    sourceFiles: row.sourceFiles ?? null,
    visibility: row.visibility,
    hidden: row.hidden,
    createdAt: row.createdAt,
  };
}

function storyFilter(filter: StoryFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  // Your own stories, hidden or not; everyone's public ones unless a moderator hid them.
  if (filter.visibleTo !== undefined) parts.push(or(eq(stories.ownerId, filter.visibleTo), and(eq(stories.visibility, 'public'), not(stories.hidden))));
  if (filter.ownerId !== undefined) parts.push(eq(stories.ownerId, filter.ownerId));
  if (filter.hidden !== undefined) parts.push(eq(stories.hidden, filter.hidden));
  return and(...parts);
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
export function createStoryRepo(db: Db): StoryStore {
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
            // Explicit for shipped stories too, rather than trusting the column default.
            visibility: input.visibility ?? (input.ownerId === null ? 'public' : 'private'),
          })
          .onConflictDoUpdate({
            target: [stories.ownerId, stories.slug],
            set: {
              title: sql`excluded.title`,
              source: sql`excluded.source`,
              sourceFiles: sql`excluded.source_files`,
              currentVersion: sql`excluded.current_version`,
              ...(input.visibility ? { visibility: sql`excluded.visibility` } : {}),
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
      const [row] = await db.select().from(stories).where(eq(stories.id, id)).limit(1);
      return row ? toStoryRecord(row) : null;
    },

    async getStoryBySlug(slug: string, ownerId: string | null): Promise<StoryRecord | null> {
      const owner = ownerId === null ? isNull(stories.ownerId) : eq(stories.ownerId, ownerId);
      const [row] = await db.select().from(stories).where(and(eq(stories.slug, slug), owner)).limit(1);
      return row ? toStoryRecord(row) : null;
    },

    async listStories(filter: StoryFilter = {}): Promise<StoryRecord[]> {
      const rows = await db.select().from(stories).where(storyFilter(filter)).orderBy(asc(stories.createdAt), asc(stories.id));
      return rows.map(toStoryRecord);
    },

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
