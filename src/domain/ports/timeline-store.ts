import type { SessionRecord, StoryView, TurnResult } from '../types.js';

/** What a fork copies, and into what. */
export interface ForkInput {
  sourceId: string;
  /** Last turn copied: the new session starts from the state stored with it. */
  atTurn: number;
  newId: string;
  ownerId: string;
}

/**
 * Moves along a session's timeline, each in one transaction that locks the session row, so they
 * serialize with each other and with turn commits. Undo, redo and the retry rewind bump the
 * session's version: a turn computed from the state before them fails its optimistic commit
 * (`turn_conflict`) instead of writing over the move. Each returns the session afterwards, as
 * `SessionStore.getSession` reads it, and throws `session_not_found` for an unknown session.
 */
export interface TimelineStore {
  /**
   * Step back one turn: the last active turn becomes `undone` (kept for a redo) and the session
   * takes the ink state and view stored with the turn before it. Throws `nothing_to_undo` at
   * turn 0 (the opening).
   */
  undo(sessionId: string): Promise<SessionRecord>;
  /**
   * Step forward again: the undone turn right after the current one becomes `active` and the
   * session takes its stored state. Throws `nothing_to_redo` when there is none.
   */
  redo(sessionId: string): Promise<SessionRecord>;
  /**
   * Rewind for a retry: the last active turn becomes `replaced` (kept, as an alternative), any
   * undone turns become `discarded` (they followed a turn that is being replaced) and their turn
   * memories are deleted, and the session goes back to the turn before. The replaced turn's own
   * memories stay, off the timeline, until the new take commits (the commit deletes them) or the
   * retry fails (`restoreReplaced` brings them back with the turn). Returns the replaced turn,
   * whose input and action are to be played again. Throws `nothing_to_retry` at turn 0.
   */
  replaceLast(sessionId: string): Promise<{ session: SessionRecord; replaced: TurnResult }>;
  /**
   * Undo a `replaceLast` whose retry did not commit: the turn it replaced (the newest replaced
   * turn at `turnNo`) becomes active again and the session moves to it. Null, changing nothing,
   * when the session has moved on since (it is not at `turnNo − 1`, or a take of `turnNo` is
   * active).
   */
  restoreReplaced(sessionId: string, turnNo: number): Promise<SessionRecord | null>;
  /**
   * A new session copying the source as it was at `atTurn`: that turn's ink state and view, the
   * active turns up to it (new rows without task ids, so idempotency keys never collide; their
   * tokens and cost are not counted again), the memories of those turns, and the source's own
   * cards. Records `forkedFrom` and `forkedAtTurn`. Null when `atTurn` is past the source's
   * current turn.
   */
  /**
   * Move the session to another version of its story with the state carried there: the turn it
   * rests on takes the new state, undone turns are discarded, and undo, retry and fork stop at
   * this turn. Throws `turn_conflict` when the session's `version` is no longer `expectedVersion`.
   */
  upgrade(input: { sessionId: string; expectedVersion: number; storyVersion: string; inkState: string; view: StoryView }): Promise<SessionRecord>;
  fork(input: ForkInput): Promise<SessionRecord | null>;
}
