import type {
  HistoryEntry,
  MemoryDraft,
  SessionRecord,
  SessionStatus,
  StoredMemory,
  StoryRecord,
  StoryVersion,
  StoryView,
  TurnResult,
  TurnTimings,
} from '../types.js';

export interface NewStory {
  slug: string;
  title: string;
  ownerId: string | null;
  source: string;
  version: StoryVersion;
}

export interface StoryStore {
  /** Create the story, or add the version to an existing story with the same slug and owner. */
  saveStory(input: NewStory): Promise<StoryRecord>;
  getStory(id: string): Promise<StoryRecord | null>;
  /** The story with this slug in the owner's library (null owner: the shipped stories). */
  getStoryBySlug(slug: string, ownerId: string | null): Promise<StoryRecord | null>;
  /** Stories oldest first; with `visibleTo`, only the shipped ones and that user's own. */
  listStories(filter?: { visibleTo?: string }): Promise<StoryRecord[]>;
  getVersion(storyId: string, hash: string): Promise<StoryVersion | null>;
}

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

export interface SessionStore {
  createSession(input: NewSession): Promise<SessionRecord>;
  getSession(id: string): Promise<SessionRecord | null>;
}

export interface MemoryToStore extends MemoryDraft {
  kind: StoredMemory['kind'];
  embedding: number[];
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
}

export interface TurnStore {
  /** The last `limit` turns before now, oldest first (turn 0, the opening, included). */
  recentTurns(sessionId: string, limit: number): Promise<HistoryEntry[]>;
  getTurn(sessionId: string, turnNo: number): Promise<TurnResult | null>;
  getTurnByTask(taskId: string): Promise<TurnResult | null>;
  listTurns(sessionId: string, page: { afterTurnNo?: number; limit: number }): Promise<TurnResult[]>;
  /**
   * Commit a turn exactly once: the turn row (unique per session and turn number, and per task id),
   * the session's new state and version, and the memories, all in one transaction.
   * If a turn with the same task id is already committed, nothing is written and that turn is
   * returned with `duplicate: true`. If the session moved on meanwhile, throws `turn_conflict`.
   */
  commitTurn(commit: TurnCommit): Promise<{ result: TurnResult; duplicate: boolean }>;
  /**
   * Overwrite a committed turn's timings. The turn row is written inside the commit, before the
   * commit's own duration is known, so the pipeline records the final figures afterwards.
   */
  recordTimings(sessionId: string, turnNo: number, timings: TurnTimings): Promise<void>;
  /** The stored context trace of a turn, or null. */
  getTrace(sessionId: string, turnNo: number): Promise<unknown | null>;
  /** Tokens and cost summed over a session's turns, or over every session of a user since `since`. */
  usageTotals(filter: { sessionId: string } | { ownerId: string; since?: Date }): Promise<{ turns: number; tokens: number; costUsd: number }>;
}

export interface MemoryStore {
  /** The `limit` memories of the session most similar (cosine) to `embedding`, best first. */
  search(sessionId: string, embedding: number[], limit: number): Promise<StoredMemory[]>;
  list(sessionId: string): Promise<StoredMemory[]>;
}

/** Which vector search the database provides; logged at start. */
export type VectorSupport = 'pgvector' | 'portable';

/** The database behind all repositories. */
export interface Store {
  readonly kind: 'pglite' | 'postgres';
  readonly vectorSupport: VectorSupport;
  readonly stories: StoryStore;
  readonly sessions: SessionStore;
  readonly turns: TurnStore;
  readonly memories: MemoryStore;
  /** Cheap liveness check (SELECT 1). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
