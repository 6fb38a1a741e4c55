import type { HistoryEntry, MemoryDraft, SessionRecord, SessionStatus, StoredMemory, StoryView, TurnResult } from '../types.js';
import type { MemoryPreload } from './memory.js';
import type { OwnerPreferences } from './settings-store.js';
import type { TurnRecording } from '../turn-recording.js';

export interface MemoryToStore extends MemoryDraft {
  kind: StoredMemory['kind'];
  embedding: number[];
  /** The embedding's space (`provider:model@dimensions`); see {@link Embedder}. */
  embeddingModel?: string;
}

/** Everything one turn writes; applied in a single transaction by {@link TurnStore.commitTurn}. */
export interface TurnCommit {
  sessionId: string;
  /** The session version the turn was computed from; the commit fails if it moved. */
  expectedVersion: number;
  result: TurnResult;
  inkState: string;
  view: StoryView;
  status: SessionStatus;
  memories: MemoryToStore[];
  /** The context trace (prompts sent, raw outputs), stored beside the turn. */
  trace?: unknown;
  /** What re-running the turn needs (turn-recording.ts); stored compressed in the same statement. */
  recording?: TurnRecording;
}

/** What {@link TurnStore.commitTurn} did. */
export interface CommitOutcome {
  result: TurnResult;
  duplicate: boolean;
  /**
   * What the commit changed beyond the turn row and the session's state (absent on a duplicate):
   * what a cache of the session in front of the store needs to stay exact (storage/session-cache.ts).
   */
  effects?: {
    /** The session's new `updatedAt` (the database's clock). */
    sessionUpdatedAt: Date;
    /** Undone turns the commit turned `discarded` (a new turn after an undo). */
    discardedTurns: number;
    /** Memories it deleted: those of discarded turns and of the take a retry replaced. */
    forgottenMemories: number;
  };
}

/** What a turn reads before it calls a model, in one round trip (see {@link TurnStore.loadTurn}). */
export interface TurnLoad {
  /** The turn this task already committed (the job runs again): the rest is then not needed. */
  committed: TurnResult | null;
  session: SessionRecord | null;
  /** The title of the session's story (it can change between turns: owners rename stories). */
  storyTitle: string | null;
  /** The name of who acts, when they are a member of a shared session (not its owner). */
  actorName: string | null;
  /** The session's last active turns (at most the limit asked for), oldest first. */
  history: HistoryEntry[];
  memory: MemoryPreload;
  /** The session owner's settings and sealed provider keys (no extra statement: they come with the load). */
  owner: OwnerPreferences;
}

/** Which turns a listing returns: the timeline (`active`, the default) or every turn ever committed. */
export type TurnInclude = 'active' | 'all';

/**
 * Committed turns. Reads by turn number see the session's timeline: only `active` turns (see
 * TurnState); undone, replaced and discarded turns are reached through `listTurns({include: 'all'})`.
 */
export interface TurnStore {
  /**
   * Everything a turn of `taskId` reads before it calls a model, in one statement and one
   * snapshot: the turn the task already committed (if any), the session, its last `historyTurns`
   * active turns and what long-term memory needs to know (see {@link TurnLoad}).
   */
  loadTurn(sessionId: string, taskId: string, historyTurns: number, actorId?: string): Promise<TurnLoad>;
  /** The last `limit` active turns, oldest first (turn 0, the opening, included). */
  recentTurns(sessionId: string, limit: number): Promise<HistoryEntry[]>;
  getTurn(sessionId: string, turnNo: number): Promise<TurnResult | null>;
  /** The turn committed under a task id, whatever its timeline state (`state` says which). */
  getTurnByTask(taskId: string): Promise<TurnResult | null>;
  /**
   * A page of turns by turn number. With `include: 'all'`, every turn (active, undone, replaced,
   * discarded, each with its `state`) ordered by turn number then creation; `limit` then counts
   * turn numbers, so all the alternatives of a turn number come on the same page.
   */
  listTurns(sessionId: string, page: { afterTurnNo?: number; limit: number; include?: TurnInclude }): Promise<TurnResult[]>;
  /**
   * Commit a turn exactly once: the turn row (unique per session and turn number, and per task id),
   * the session's new state and version, and the memories, all in one statement. The row's
   * `timings.commit` is the database's own time for it (and `total` includes it), so the stored
   * turn and the returned one agree without a second write.
   * If a turn with the same task id is already committed, nothing is written and that turn is
   * returned with `duplicate: true`. If the session moved on meanwhile, throws `turn_conflict`.
   */
  commitTurn(commit: TurnCommit): Promise<CommitOutcome>;
  /**
   * Replace the narration of an active turn (the player's edit); the first edit keeps the model's
   * text as `originalResponse`. Later turns' history reads the edited text. Null when the session
   * has no active turn `turnNo`.
   */
  editResponse(sessionId: string, turnNo: number, response: string): Promise<TurnResult | null>;
  /** The stored context trace of a turn, or null. */
  getTrace(sessionId: string, turnNo: number): Promise<unknown | null>;
  /** The recordings of a session's active played turns in `[from, to]`, by turn number (null: none kept). */
  recordings(sessionId: string, range: { from?: number; to?: number }): Promise<{ turnNo: number; recording: TurnRecording | null }[]>;
  /** Drop the recordings and context traces of turns created before `before` (retention); how many turns. */
  forgetRecordings(before: Date): Promise<number>;
  /** Tokens and cost summed over a session's turns, or over every session of a user since `since`. */
  usageTotals(filter: { sessionId: string } | { ownerId: string; since?: Date }): Promise<{ turns: number; tokens: number; costUsd: number; byokTokens: number }>;
}
