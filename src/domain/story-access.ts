/**
 * Who may see and play a story. One rule, used by every route and the streams:
 * - its owner and admins always see it;
 * - anyone signed in sees a public story, unless a moderator hid it;
 * - to everyone else it does not exist (404, like an unknown id, so ids cannot be probed).
 * A hidden story takes no new sessions at all; sessions already started keep playing.
 * @module
 */
import { DramaError } from './errors.js';
import type { StoryHead, StoryRecord } from './types.js';

/** Who is asking: a user id, and whether they are an admin (a moderator). */
export interface Viewer {
  userId: string;
  admin?: boolean;
}

/** A bare user id is a viewer without admin rights. */
export function asViewer(viewer: string | Viewer): Viewer {
  return typeof viewer === 'string' ? { userId: viewer } : viewer;
}

export function isStoryOwner(story: StoryHead, viewer: Viewer): boolean {
  return story.ownerId !== null && story.ownerId === viewer.userId;
}

export function canSeeStory(story: StoryHead, viewer: Viewer): boolean {
  if (viewer.admin || isStoryOwner(story, viewer)) return true;
  return story.visibility === 'public' && !story.hidden;
}

/** Whether the viewer is told about moderation (the `hidden` flag): the owner and admins. */
export function seesModeration(story: StoryRecord, viewer: Viewer): boolean {
  return viewer.admin === true || isStoryOwner(story, viewer);
}

/** Throws unless a new session may start on the story (it is visible and not hidden). */
export function assertPlayable(story: StoryHead, viewer: Viewer): void {
  if (!canSeeStory(story, viewer)) throw new DramaError('story_not_found', `Story ${story.id} not found`);
  if (story.hidden) throw new DramaError('story_hidden', 'A moderator has hidden this story: no new sessions can start on it');
}

/** The story looked up, or `story_not_found` when there is none. */
export function foundStory<T extends StoryHead>(story: T | null, id: string): T {
  if (!story) throw new DramaError('story_not_found', `Story ${id} not found`);
  return story;
}
