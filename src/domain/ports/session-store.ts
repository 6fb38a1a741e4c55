import type { MemberRole, RoundState, SessionRecord, TurnMode, SessionStatus, SessionSteering, StoryView, TurnResult } from '../types.js';

export interface NewSession {
  id: string;
  ownerId: string;
  storyId: string;
  storyVersion: string;
  inkState: string;
  view: StoryView;
  status: SessionStatus;
  /** The opening, committed as turn 0 in the same transaction. */
  opening: TurnResult;
}

/** The few columns of a session that access checks and a new action read. */
export type SessionHead = Pick<SessionRecord, 'id' | 'ownerId' | 'status' | 'turnNo' | 'updatedAt'> & {
  /** Who acts when (shared sessions; null when nobody joined). */
  turnMode?: TurnMode | null;
  round?: RoundState | null;
  voteDeadline?: Date | null;
  /** The viewer's part when they are a member (not the owner) of the session; null otherwise. */
  memberRole?: MemberRole | null;
};

export interface SessionStore {
  createSession(input: NewSession): Promise<SessionRecord>;
  getSession(id: string): Promise<SessionRecord | null>;
  /** Just who owns the session and where it stands: what an action or an ownership check needs (no ink state). */
  getSessionHead(id: string, viewerId?: string): Promise<SessionHead | null>;
  /** How many sessions the user has (for the per-user quota). */
  countSessions(ownerId: string): Promise<number>;
  /** The user's sessions, most recently played first; `before` pages by `updatedAt`. */
  listSessions(userId: string, page: { limit: number; before?: Date }): Promise<(SessionRecord & { memberRole: MemberRole | null })[]>;
  /**
   * Change the player's steering: `apply` gets the stored steering (read under the row's lock) and
   * returns what to store. The session afterwards, or null when there is none. Not a timeline move:
   * the session's version stays, so a turn in flight still commits.
   */
  updateSteering(id: string, apply: (current: SessionSteering | null) => SessionSteering): Promise<SessionRecord | null>;
  /** Delete a session with its turns, memories and cards (cascade). False when it did not exist. */
  deleteSession(id: string): Promise<boolean>;
}
