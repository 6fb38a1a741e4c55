/**
 * What every web process of a distributed deployment may know about a session without asking the
 * database: that it exists, who owns it, that it is still playing and that nobody joined it. An
 * action on such a session needs no statement of its own (DramaService.submitAction): one call
 * checks the owner and takes the session's turn slot together.
 *
 * The facts are remembered only from a database read, and only if no write that could change them
 * ran between the read's start and the remembering (the `stamp`); every such write forgets them
 * (storage/session-heads-writes.ts). They also expire on their own after a few minutes, so a
 * forget that failed (the shared service was unreachable) is outlived, not kept.
 * @module
 */

/** What {@link SessionHeads.claim} found. */
export type HeadClaim =
  /** The caller's own one-player session, still playing: its turn slot was free and is now the task's. */
  | { known: true; claimed: true }
  /** The caller's own one-player session, still playing, but a turn holds its slot (the queue says which). */
  | { known: true; claimed: false }
  /** Nothing known for this caller: read the session, then {@link SessionHeads.remember} it with `stamp`. */
  | { known: false; stamp: string };

/** What {@link SessionHeads.peek} found. */
export type HeadPeek = (
  /** The caller's own one-player session, still playing. */
  | { known: true }
  /** Nothing known for this caller (or no such session yet): read it, then remember it with `stamp`. */
  | { known: false; stamp: string }
) & {
  /** Asked with a task: whether that task holds the session's turn slot, known or not (TurnQueue.holdsSession). */
  holds?: boolean;
};

export interface SessionHeads {
  /** For an action of `userId`: the session's facts, and its turn slot for `taskId` when they hold. */
  claim(sessionId: string, userId: string, taskId: string): Promise<HeadClaim>;
  /**
   * For a read of `userId` (a stream's opening, a task's status): whether the session is known as
   * theirs; with `taskId`, also whether that task holds the session's turn slot, in the same call
   * (a client polling a running turn's status asks both).
   */
  peek(sessionId: string, userId: string, taskId?: string): Promise<HeadPeek>;
  /**
   * The stamp to remember a session about to be created with, cut before its insert: a write to
   * every session (a guest's play claimed by an account) that lands in between refuses it.
   */
  stamp(sessionId: string): Promise<string>;
  /**
   * Remember `ownerId`'s session as playing and solo, as read after `stamp` was given: ignored
   * if anything forgot the session (or every session) since.
   */
  remember(sessionId: string, ownerId: string, stamp: string): Promise<void>;
  /** A write that may change the session's owner, existence, status or turn mode finished. */
  forget(sessionId: string): Promise<void>;
  /** A write that may change any session's facts (one the store cannot tie to a session) finished. */
  forgetAll(): Promise<void>;
  /** Give the turn slot back when the action is refused after {@link claim} took it (e.g. the budget is spent). */
  release(sessionId: string, taskId: string): Promise<void>;
}
