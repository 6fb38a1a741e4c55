/**
 * The library's use cases beyond one story: listing with search, sort and pages, and deletion.
 * @module
 */
import { cleanText } from './clean-text.js';
import { DramaError } from './errors.js';
import type { StoryDeletion, StoryFilter, StoryPageRequest, StorySort } from './ports/story-store.js';
import { asViewer, canSeeStory, isStoryOwner, type Viewer } from './story-access.js';
import type { TurnDeps } from './turn-deps.js';
import type { StoryRecord } from './types.js';

/** What a listing asks for; every field optional (none: every visible story, oldest first). */
export interface StoryQuery {
  /** Title contains this (case-insensitive, any script). */
  q?: string;
  /** `mine`: only the viewer's own; `public`: only public ones (the viewer's included); default both. */
  scope?: 'all' | 'mine' | 'public';
  sort?: StorySort;
  limit?: number;
  offset?: number;
}

/** The stories `viewer` may see that match `query` (see {@link StoryQuery}). */
export function listStoryPage(deps: Pick<TurnDeps, 'store'>, viewer: string, query: StoryQuery): Promise<StoryRecord[]> {
  const q = cleanText(query.q ?? '').trim();
  const filter: StoryFilter = {
    visibleTo: viewer,
    ...(query.scope === 'mine' ? { ownerId: viewer } : {}),
    ...(query.scope === 'public' ? { publicOnly: true } : {}),
    ...(q ? { titleContains: q } : {}),
  };
  const page: StoryPageRequest = {
    ...(query.sort ? { sort: query.sort } : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.offset ? { offset: query.offset } : {}),
  };
  return deps.store.stories.listStories(filter, page);
}

/**
 * Delete a story: its owner, or an admin. No session on it: removed with its versions and cards.
 * Sessions on it (anyone's): retired instead — gone from every listing, no new session, not
 * found when opened — while those sessions keep playing to their end (people's play is theirs).
 * Shipped stories are not deleted here: they come back with the next start (remove them from
 * STORIES_DIR).
 */
export async function deleteStory(deps: Pick<TurnDeps, 'store'>, viewerOrId: string | Viewer, id: string): Promise<StoryDeletion> {
  const viewer = asViewer(viewerOrId);
  const story = id.includes('\u0000') ? null : await deps.store.stories.getStory(id);
  if (!story || !canSeeStory(story, viewer)) throw new DramaError('story_not_found', `Story ${id} not found`);
  if (story.ownerId === null) throw new DramaError('forbidden', 'A shipped story is removed from STORIES_DIR, not through the API');
  if (!isStoryOwner(story, viewer) && !viewer.admin) throw new DramaError('forbidden', 'Only the story’s owner can delete it');
  return deps.store.stories.deleteStory(id);
}
