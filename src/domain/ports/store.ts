import type {
  HistoryEntry,
  LoreCard,
  MemoryDraft,
  MemoryKind,
  SessionRecord,
  SessionStatus,
  StoredCard,
  StoredMemory,
  StoryRecord,
  StoryVersion,
  StoryVisibility,
  StoryView,
  TurnResult,
} from '../types.js';
import type { AccountStore } from './account-store.js';
import type { ApiKeyStore } from './api-key-store.js';
import type { MemoryPreload } from './memory.js';
import type { TimelineStore } from './timeline-store.js';
import type { SuspensionStore } from './suspension-store.js';

export interface NewStory {
  slug: string;
  title: string;
  ownerId: string | null;
  source: string;
  version: StoryVersion;
  /** Set on insert and, when given, on a new version too; default public for shipped stories, private otherwise. */
  visibility?: StoryVisibility;
}

/** Which stories to list (all of them when empty). */
export interface StoryFilter {
  /** Only what this user may see: their own, and public stories that are not hidden. */
  visibleTo?: string;
  /** Only this owner's stories. */
  ownerId?: string;
  hidden?: boolean;
}

/** Fields of a story its owner (visibility, title) or a moderator (hidden) may change. */
export interface StoryPatch {
  visibility?: StoryVisibility;
  title?: string;
  hidden?: boolean;
}

export interface StoryStore {
  /** Create the story, or add the version to an existing story with the same slug and owner. */
  saveStory(input: NewStory): Promise<StoryRecord>;
  getStory(id: string): Promise<StoryRecord | null>;
  /** The story with this slug in the owner's library (null owner: the shipped stories). */
  getStoryBySlug(slug: string, ownerId: string | null): Promise<StoryRecord | null>;
  /** Stories oldest first, filtered (see {@link StoryFilter}). */
  listStories(filter?: StoryFilter): Promise<StoryRecord[]>;
  /** Change a story's visibility, title or hidden flag; null when it does not exist. */
  updateStory(id: string, patch: StoryPatch): Promise<StoryRecord | null>;
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

/** The few columns of a session that access checks and a new action read. */
export type SessionHead = Pick<SessionRecord, 'id' | 'ownerId' | 'status' | 'turnNo'>;

export interface SessionStore {
  createSession(input: NewSession): Promise<SessionRecord>;
  getSession(id: string): Promise<SessionRecord | null>;
  /** Just who owns the session and where it stands: what an action or an ownership check needs (no ink state). */
  getSessionHead(id: string): Promise<SessionHead | null>;
  /** How many sessions the user has (for the per-user quota). */
  countSessions(ownerId: string): Promise<number>;
  /** The user's sessions, most recently played first; `before` pages by `updatedAt`. */
  listSessions(ownerId: string, page: { limit: number; before?: Date }): Promise<SessionRecord[]>;
  /** Delete a session with its turns, memories and cards (cascade). False when it did not exist. */
  deleteSession(id: string): Promise<boolean>;
}

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
}

/** What a turn reads before it calls a model, in one round trip (see {@link TurnStore.loadTurn}). */
export interface TurnLoad {
  /** The turn this task already committed (the job runs again): the rest is then not needed. */
  committed: TurnResult | null;
  session: SessionRecord | null;
  /** The title of the session's story (it can change between turns: owners rename stories). */
  storyTitle: string | null;
  /** The session's last active turns (at most the limit asked for), oldest first. */
  history: HistoryEntry[];
  memory: MemoryPreload;
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
  loadTurn(sessionId: string, taskId: string, historyTurns: number): Promise<TurnLoad>;
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
  commitTurn(commit: TurnCommit): Promise<{ result: TurnResult; duplicate: boolean }>;
  /** The stored context trace of a turn, or null. */
  getTrace(sessionId: string, turnNo: number): Promise<unknown | null>;
  /** Tokens and cost summed over a session's turns, or over every session of a user since `since`. */
  usageTotals(filter: { sessionId: string } | { ownerId: string; since?: Date }): Promise<{ turns: number; tokens: number; costUsd: number }>;
}

/**
 * Who wrote a memory. `turn` memories (the judge's, and rolling summaries, which are made of
 * turns) follow the session's timeline; `player` memories stay whatever happens to it. See
 * {@link MemoryStore} for the rule.
 */
export type MemoryOrigin = 'turn' | 'player';

/** A memory written outside a turn commit: by the player, or a summary. */
export interface NewMemory extends MemoryToStore {
  sessionId: string;
  turnNo: number;
  pinned?: boolean;
  /** Default `player`. */
  origin?: MemoryOrigin;
  /**
   * Write it only if this turn is still the active one at its number (same task), checked in the
   * insert itself: a rolling summary computed while the player undid and took another branch
   * must not land on the new branch.
   */
  ifTurnActive?: { turnNo: number; taskId: string | null };
}

/** Where retrieval stands on the timeline: the session's current turn number. */
export interface TimelineFilter {
  /**
   * Leave out `turn` memories of later turns (undone ones, waiting for a redo). Absent: no
   * timeline filter (maintenance, tests).
   */
  timelineTurn?: number;
}

/** Fields of a memory that may change; a new text comes with its new embedding. */
export interface MemoryPatch {
  text?: string;
  importance?: number;
  kind?: MemoryKind;
  pinned?: boolean;
  embedding?: number[];
  embeddingModel?: string;
}

/** A retrieval candidate: a memory with its cosine similarity to the query (null: no usable embedding). */
export interface MemoryCandidate extends StoredMemory {
  similarity: number | null;
}

/**
 * Session memories. Timeline rule: a memory of origin `turn` belongs to the turn number it was
 * written for (a summary, to the last turn it covers). While that turn is undone it is only
 * hidden (`timelineTurn`), so a redo brings it back as it was; once the turn is replaced (retry)
 * or discarded (a new action after undo) it can never come back, and its memories are deleted
 * in the same statement. `player` memories are the player's notes, not the story's: they stay.
 */
export interface MemoryStore {
  /**
   * The `limit` memories of the session most similar (cosine) to `embedding`, best first. With
   * `model`, only rows embedded by that model (or by an unrecorded one) are considered.
   */
  search(sessionId: string, embedding: number[], limit: number, opts?: { model?: string } & TimelineFilter): Promise<StoredMemory[]>;
  /**
   * Retrieval candidates: the `limit` most similar memories of the session (as {@link search}:
   * pgvector's HNSW index, or exact in the application), plus every pinned memory of the session
   * whatever its similarity. Each once, with its similarity; not ordered.
   */
  candidates(sessionId: string, embedding: number[], opts: { limit: number; model?: string } & TimelineFilter): Promise<MemoryCandidate[]>;
  /** The session's memories, oldest turn first; `kind` filters, `limit` keeps the newest. */
  list(sessionId: string, opts?: { kind?: MemoryKind; limit?: number } & TimelineFilter): Promise<StoredMemory[]>;
  get(sessionId: string, id: string): Promise<StoredMemory | null>;
  /**
   * Add one memory. A summary is unique per (session, turn): adding it again returns null and
   * writes nothing, so folding the same turns twice is harmless.
   */
  add(memory: NewMemory): Promise<StoredMemory | null>;
  /** Change a memory of the session; null when it does not exist there. */
  update(sessionId: string, id: string, patch: MemoryPatch): Promise<StoredMemory | null>;
  /** Delete a memory of the session; false when it does not exist there. */
  remove(sessionId: string, id: string): Promise<boolean>;
  /** Memories (in any session) whose embedding was made by another model than `model`, oldest first. */
  staleEmbeddings(model: string, limit: number): Promise<{ id: string; sessionId: string; text: string }[]>;
  /** Replace embeddings after re-embedding them with `model`. */
  setEmbeddings(rows: { id: string; embedding: number[] }[], model: string): Promise<void>;
}

/** Where a card applies: every session of a story, or one session. */
export type CardScope = { storyId: string } | { sessionId: string };

/** A card with the embedding of its text, ready to store. */
export interface CardToStore extends LoreCard {
  embedding: number[];
  embeddingModel?: string;
}

/** Story cards defined through the API (cards written in the ink file come with the story). */
export interface CardStore {
  /** The scope's cards, oldest first. */
  list(scope: CardScope): Promise<StoredCard[]>;
  /** The cards in effect for a session: its story's and its own, with embeddings, oldest first. */
  forSession(sessionId: string, storyId: string): Promise<(StoredCard & { embedding: number[]; embeddingModel: string | null })[]>;
  get(scope: CardScope, id: string): Promise<StoredCard | null>;
  add(scope: CardScope, card: CardToStore): Promise<StoredCard>;
  update(scope: CardScope, id: string, patch: Partial<CardToStore>): Promise<StoredCard | null>;
  remove(scope: CardScope, id: string): Promise<boolean>;
  /** Cards embedded by another model than `model`, oldest first. */
  staleEmbeddings(model: string, limit: number): Promise<{ id: string; text: string }[]>;
  setEmbeddings(rows: { id: string; embedding: number[] }[], model: string): Promise<void>;
}

/** Model spend of one model id over a period, from the turns' recorded usage. */
export interface ModelSpend {
  modelId: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Cluster-wide activity counts for the admin view (read-only; each is one aggregate query). */
export interface ActivityStore {
  /** Sessions started or advanced since `since`. */
  activeSessions(since: Date): Promise<number>;
  /** Turns committed since `since` (openings excluded). */
  turnsSince(since: Date): Promise<number>;
  /** Spend since `since` by model id, most expensive first. */
  spendByModel(since: Date): Promise<ModelSpend[]>;
}

/** Connections of a client-side pool (node-postgres); PGlite has none. */
/** The in-process memory search cache of this process (see SessionVectorCache). */
export interface MemoryCacheStats {
  bytes: number;
  budgetBytes: number;
  sessions: number;
  /**
   * Searches since start: served from a current cached copy (`hits`), after reading changes
   * (`refreshes`), after reading the whole session (`loads`), or not served (`misses`: loading in
   * the background, or larger than the budget).
   */
  hits: number;
  refreshes: number;
  loads: number;
  misses: number;
}

export interface PoolStats {
  /** Open connections, idle or checked out. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
  max: number;
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
  readonly cards: CardStore;
  /** Undo, redo, retry and fork: moves along a session's timeline. */
  readonly timeline: TimelineStore;
  /** Hashed API keys of server-to-server clients. */
  readonly apiKeys: ApiKeyStore;
  /** Users a moderator has suspended. */
  readonly suspensions: SuspensionStore;
  /** Aggregate counts for the admin view. */
  readonly activity: ActivityStore;
  /** Guests' play claimed by accounts. */
  readonly accounts: AccountStore;
  /** The connection pool right now (for metrics); absent when there is no pool (PGlite). */
  poolStats?(): PoolStats;
  /** The in-process memory search cache (for metrics); absent when it is off. */
  memoryCacheStats?(): MemoryCacheStats;
  /** Cheap liveness check (SELECT 1). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
