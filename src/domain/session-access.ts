import type { SessionHead } from './ports/session-store.js';
import type { TaskStatus, TurnJob } from './ports/turn-queue.js';
import type { SessionNeed } from './session-roles.js';
import type { Viewer } from './story-access.js';
import type { TurnDeps } from './turn-deps.js';
import type { ActionKind, SessionRecord, StoryRecord } from './types.js';

/**
 * What the session's sub-services (memories and cards, the timeline) need from the service that
 * owns them: the resource bag, the queue, and its access and quota checks. DramaService provides
 * it; the sub-services never import DramaService, so the domain has no import cycle.
 */
export interface SessionAccess {
  readonly deps: TurnDeps;
  readonly queue: {
    enqueue(job: TurnJob): Promise<TaskStatus>;
    isBusy(sessionId: string): Promise<boolean>;
    cancel(sessionId: string): Promise<TaskStatus | null>;
  };
  /** The caller's session; `session_not_found` for anyone else's. */
  getSession(ownerId: string, sessionId: string): Promise<SessionRecord>;
  /** The session's head when the caller may read, act in or own it (see session-roles.ts). */
  sessionFor(userId: string, sessionId: string, need: SessionNeed): Promise<SessionHead>;
  /** Any story, by id; `story_not_found` when there is none. */
  getStory(id: string): Promise<StoryRecord>;
  /** A story the viewer may see; `story_not_found` otherwise. */
  getVisibleStory(viewer: string | Viewer, id: string): Promise<StoryRecord>;
  /** A player's words checked and cleaned as a turn takes them (`payload_too_large`, `bad_request`). */
  actionInput(raw: string, action: ActionKind): string;
  /** Throws `budget_exceeded` when the user spent their daily budget. */
  checkBudget(ownerId: string): Promise<void>;
  /** Throws when the user holds as many sessions as allowed. */
  checkSessionQuota(ownerId: string): Promise<void>;
}
