import type { ActionKind, RoundState, TurnMode } from '../types.js';

/** `waiting` in the line or the open vote; `dispatched` into a turn; `dropped` when it can never run (the story ended). */
export type PendingActionState = 'waiting' | 'dispatched' | 'dropped';

/** An action of a shared session that did not start a turn at once. */
export interface PendingAction {
  taskId: string;
  sessionId: string;
  userId: string;
  input: string;
  action: ActionKind;
  state: PendingActionState;
  /** The task of the turn it went into, once dispatched. */
  turnTaskId: string | null;
  createdAt: Date;
  /** The member's name in this session, when they set one. */
  displayName: string | null;
}

export interface NewPendingAction {
  taskId: string;
  sessionId: string;
  userId: string;
  input: string;
  action: ActionKind;
}

/** What adding an action did. */
export type PushOutcome =
  | { kind: 'added'; position: number }
  /** The same task id was added before (a repeated request): where it stands now. */
  | { kind: 'exists'; position: number; state: PendingActionState }
  | { kind: 'full'; limit: number };

/**
 * The waiting actions of shared sessions, in the database so that every web server and worker
 * sees one line per session in one order (arrival order is the database's sequence).
 */
export interface ActionStore {
  /**
   * Add an action at the end of the session's line unless `cap` are waiting already; serialized
   * per session. With `onePerUser` (a vote) the user's earlier waiting action is replaced.
   * `position` is 1-based among the waiting actions.
   */
  push(action: NewPendingAction, opts: { cap: number; onePerUser?: boolean }): Promise<PushOutcome>;
  /** The session's waiting actions, first come first. */
  waiting(sessionId: string): Promise<PendingAction[]>;
  /** One action by its task id, with its place in the line while it waits (1-based). */
  get(taskId: string): Promise<(PendingAction & { position: number | null }) | null>;
  /** Mark actions as gone into the turn of `turnTaskId`, if they still wait; the ones this call moved. */
  dispatch(taskIds: string[], turnTaskId: string): Promise<string[]>;
  /** Mark waiting actions as never to run; the ones this call moved. */
  drop(taskIds: string[]): Promise<string[]>;
}

/** The arbitration state kept on the session row: mode, round, vote window. */
export interface ArbitrationStore {
  /** Set the mode (and round mode's first holder, or null); clears any open vote. False when no such session. */
  setMode(sessionId: string, mode: TurnMode, round: RoundState | null): Promise<boolean>;
  /** Move the round from `from` (null: not set yet) to `to` only if it still stands there (one process wins a race). */
  moveRound(sessionId: string, from: RoundState | null, to: RoundState): Promise<boolean>;
  /** Open the vote window unless one is open; the deadline in force afterwards. */
  openVote(sessionId: string, deadline: Date): Promise<Date | null>;
  /** Close the vote whose deadline is `deadline` (compare-and-clear); false when another process closed it. */
  closeVote(sessionId: string, deadline: Date): Promise<boolean>;
}
