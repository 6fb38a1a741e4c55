import type { MemoryKind, StoredMemory } from '../types.js';
import type { MemoryToStore } from './turn-store.js';

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

/**
 * What a turn read of the session's memories with its load: their revision and row count. A
 * search given it may answer from an in-process copy at that revision with no read of its own:
 * the turn then works from the memories as it loaded them, as it does with everything else.
 */
export interface MemoryRevision {
  revision: number;
  rows: number;
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
  candidates(sessionId: string, embedding: number[], opts: { limit: number; model?: string; asOf?: MemoryRevision } & TimelineFilter): Promise<MemoryCandidate[]>;
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
