import type { ActionKind, Decision, MemberRole, SessionRecord, TurnMode, TurnResult } from '../types.js';
import type { TaskError } from './turn-queue.js';

/** How the timeline moved outside a turn commit. */
/** `restore`: a retry failed or was cancelled, and the take it replaced is back. */
export type TimelineChange = 'undo' | 'redo' | 'retry' | 'restore' | 'upgrade' | 'edit';

/**
 * A session as events carry it: plain JSON (events cross Redis), without the ink state (large,
 * and clients never see it).
 */
export type SessionSnapshot = Omit<SessionRecord, 'inkState' | 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

/** The payload part of a turn event, discriminated by `type`. */
export type TurnEventBody =
  | { type: 'turn.started'; input: string; action: ActionKind; attempt: number; userId?: string; displayName?: string | null }
  | { type: 'narration.delta'; text: string }
  | { type: 'turn.decision'; decision: Decision }
  | { type: 'turn.completed'; result: TurnResult }
  | { type: 'turn.retrying'; error: TaskError; attempt: number; delayMs: number }
  | { type: 'turn.failed'; error: TaskError }
  /** Undo, redo or retry moved the session; watching clients reload it. */
  | { type: 'timeline.changed'; reason: TimelineChange; session: SessionSnapshot }
  /** Someone joined the shared session (by an invite). */
  | { type: 'member.joined'; userId: string; role: MemberRole; displayName: string | null }
  /** A member left or was removed: their sockets on this session close. */
  | { type: 'member.left'; userId: string }
  /** A member changed their name in this session. */
  | { type: 'member.renamed'; userId: string; displayName: string }
  /** Someone's first socket on the session opened / their last one closed. */
  | { type: 'member.online' | 'member.offline'; userId: string }
  /** A player is typing (their client says so over the WebSocket; rate-limited). */
  | { type: 'member.typing'; userId: string }
  /** An action waits for the turn in flight (free mode): 1-based place in the session's line. */
  | { type: 'turn.queued'; position: number; userId: string; displayName: string | null; input: string; action: ActionKind }
  /** Round mode: whose turn it is now, until when; `skippedUserId` when the previous player let their time pass. */
  | { type: 'round.next'; userId: string; displayName: string | null; deadlineAt: string | null; skippedUserId: string | null }
  /** Vote mode: an action joined the open vote, which closes at `deadlineAt` or once every online player has voted. */
  | { type: 'vote.cast'; userId: string; displayName: string | null; votes: number; deadlineAt: string }
  /** The owner changed who acts when; waiting actions were dropped (each gets turn.failed). */
  | { type: 'turn_mode.changed'; turnMode: TurnMode };

export type TurnEventType = TurnEventBody['type'];

/**
 * What a publisher supplies; the bus adds `id` and `at`. `taskId` is null on `timeline.changed`
 * (no task made the move), except after a retry, where it names the task that plays the turn again.
 */
export type TurnEventInput = TurnEventBody & { sessionId: string; taskId: string | null; turnNo: number };

/** A published event: `id` strictly increases per session, so clients resume with `since`. */
export type TurnEvent = TurnEventInput & { id: number; at: string };

export interface Subscription {
  unsubscribe(): void;
}

/**
 * Per-session fan-out of turn events with a bounded replay buffer.
 * `subscribe` with `since` first delivers buffered events with `id > since`, then live ones,
 * with no gap and no duplicate between the two.
 */
export interface EventBus {
  publish(event: TurnEventInput): Promise<TurnEvent>;
  subscribe(sessionId: string, listener: (event: TurnEvent) => void, opts?: { since?: number }): Promise<Subscription>;
  /** Buffered events of a session with `id > since`, oldest first. */
  replay(sessionId: string, since: number): Promise<TurnEvent[]>;
  close(): Promise<void>;
}
