/**
 * Long-term memory as the turn pipeline sees it: what to recall for a turn (memories, story
 * cards, the rolling summary, and why), and what to do once a turn is committed.
 * The policy (scoring, card activation, summaries) lives in `src/memory/`.
 * @module
 */
import type { ConditionScope } from '../../shared/card-condition.js';
import type { LoreCard, StoredMemory } from '../types.js';
import type { TurnContext } from './narrator.js';

/**
 * What long-term memory needs to know before it searches, read with the rest of the turn in one
 * round trip (TurnStore.loadTurn): often that there is nothing to search at all.
 */
export interface MemoryPreload {
  /** Memories the session holds (any kind, any timeline state): 0 means nothing to recall. */
  rows: number;
  /**
   * The session's memory revision as the turn read it (it moves with every write to its
   * memories). A search at this revision may answer from a copy of that revision without
   * reading the store again; absent, the search checks for itself.
   */
  revision?: number;
  /** The latest rolling summary on the session's timeline. */
  summary: { text: string; turnNo: number } | null;
  /** Cards defined through the API that apply to the session (its story's and its own). */
  cards: {
    count: number;
    /** Changes whenever one of them is added, edited, re-embedded or deleted. */
    signature: string;
  };
}

/** What a turn recalls for. */
export interface RecallQuery {
  sessionId: string;
  storyId: string;
  /** The turn being played (the session's turn number + 1). */
  turnNo: number;
  input: string;
  /** The ink text the player is looking at: the "current scene". */
  storyText: string;
  /** Cards written in the story itself. */
  storyCards: readonly LoreCard[];
  /** Read with the turn; absent, memory reads what it needs itself. */
  preload?: MemoryPreload;
  /** The ink state cards' `when` conditions read; absent: every condition is false. */
  conditionScope?: ConditionScope;
}

/** One recalled memory and the components of its score: what the trace records. */
export interface MemoryScoreTrace {
  id: string;
  text: string;
  kind: StoredMemory['kind'];
  turnNo: number;
  importance: number;
  pinned: boolean;
  /** Cosine similarity to the query (input + scene); null without a usable embedding. */
  similarity: number | null;
  /** Similarity scaled to [0, 1] over the candidates. */
  relevance: number;
  /** decay^(turn − memory's turn). */
  recency: number;
  /** Weighted sum of relevance, recency and importance/10. */
  score: number;
  /** Why it was returned: among the top k, or pinned. */
  reason: 'top_k' | 'pinned';
}

/** How a card came to be offered: similarity to the scene (keyword matches are decided by the context builder). */
export interface CardTrace {
  name: string;
  source: 'story' | 'story_api' | 'session';
  similarity: number | null;
  activatedBySimilarity: boolean;
  /** The card's `when` condition, and whether it held this turn (a card whose condition fails is not offered). */
  when?: string;
  conditionHolds?: boolean;
}

export interface RecallTrace {
  weights: { relevance: number; recency: number; importance: number };
  decay: number;
  candidates: number;
  memories: MemoryScoreTrace[];
  cards: CardTrace[];
  /** The turn the summary used reaches up to, if one was used. */
  summaryThroughTurn?: number;
}

export interface Recall {
  memories: StoredMemory[];
  cards: NonNullable<TurnContext['cards']>;
  summary?: string;
  trace: RecallTrace;
}

/** The pipeline's long-term memory. */
export interface LongTermMemory {
  /** Memories (top k by score, plus pinned), cards and the latest summary for a turn. */
  recall(query: RecallQuery, opts?: { signal?: AbortSignal }): Promise<Recall>;
  /**
   * Called after a turn committed, outside its transaction: folds older history into the rolling
   * summary when one is due. Idempotent per (session, turn range); never throws.
   * `summaryThroughTurn`: the last turn the latest summary covers, when the caller read it with
   * the turn (0: none) — then nothing is read unless a summary is due.
   */
  afterCommit(turn: { sessionId: string; turnNo: number; summaryThroughTurn?: number }): Promise<void>;
}
