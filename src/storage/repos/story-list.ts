/**
 * Story listings and deletion: the filters, orders and pages of `GET /api/stories`, and the
 * delete that removes a story nobody plays and retires one that sessions still play.
 * @module
 */
import { and, asc, count, desc, eq, ilike, isNull, not, or, sql, type SQL } from 'drizzle-orm';
import type { StoryDeletion, StoryFilter, StoryPageRequest } from '../../domain/ports/story-store.js';
import { sessions, stories } from '../schema/index.js';
import type { StoryRow } from '../schema/types.js';
import type { Db } from './query.js';

/** `%` and `_` in the user's text match themselves. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function storyFilter(filter: StoryFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [isNull(stories.deletedAt)];
  const listed = and(eq(stories.visibility, 'public'), not(stories.hidden));
  // Your own stories, hidden or not; everyone's public ones unless a moderator hid them.
  if (filter.visibleTo !== undefined) parts.push(filter.publicOnly ? listed : or(eq(stories.ownerId, filter.visibleTo), listed));
  else if (filter.publicOnly) parts.push(listed);
  if (filter.ownerId !== undefined) parts.push(eq(stories.ownerId, filter.ownerId));
  if (filter.hidden !== undefined) parts.push(eq(stories.hidden, filter.hidden));
  if (filter.titleContains) parts.push(ilike(stories.title, `%${likeEscape(filter.titleContains)}%`));
  return and(...parts);
}

const playCount = sql<number>`(select count(*) from ${sessions} s where s.story_id = ${stories}.id)`;

function order(sort: StoryPageRequest['sort']): SQL[] {
  switch (sort) {
    case 'newest':
      return [desc(stories.createdAt), desc(stories.id)];
    case 'title':
      return [asc(sql`lower(${stories.title})`), asc(stories.id)];
    case 'played':
      return [desc(playCount), desc(stories.createdAt), asc(stories.id)];
    default:
      return [asc(stories.createdAt), asc(stories.id)];
  }
}

/** The stories matching `filter`, in `page.sort` order, `page.limit` of them from `page.offset`. */
export async function listStoryRows(db: Db, filter: StoryFilter, page: StoryPageRequest = {}): Promise<StoryRow[]> {
  const query = db.select().from(stories).where(storyFilter(filter)).orderBy(...order(page.sort));
  if (page.limit === undefined) return page.offset ? query.offset(page.offset) : query;
  return query.limit(page.limit).offset(page.offset ?? 0);
}

/** See {@link StoryStore.deleteStory}. Sessions have no cascade, so a concurrent start makes the delete fail rather than orphan it. */
export async function deleteStoryRow(db: Db, id: string): Promise<StoryDeletion> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ n: count() }).from(sessions).where(eq(sessions.storyId, id));
    const played = Number(row?.n ?? 0);
    if (played === 0) await tx.delete(stories).where(eq(stories.id, id));
    else await tx.update(stories).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(stories.id, id));
    return { removed: played === 0, sessions: played };
  });
}
