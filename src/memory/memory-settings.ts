/**
 * Tunables of long-term memory, with the defaults the README documents.
 * @module
 */

/** Weights of the retrieval score (the Generative Agents formula). */
export interface MemoryWeights {
  relevance: number;
  recency: number;
  importance: number;
}

export interface MemorySettings {
  /** Memories returned per turn (pinned ones come on top). */
  topK: number;
  weights: MemoryWeights;
  /** Recency = decay^(turns since the memory was made). */
  decay: number;
  /** Candidates fetched by vector similarity before re-ranking. */
  candidates: number;
  /** Fold older history into the rolling summary every this many turns (0 = never). */
  summaryEveryTurns: number;
  /** Turns the narrator sees verbatim; the summary covers what is older. */
  historyTurns: number;
  /** Characters a rolling summary may take. */
  summaryMaxChars: number;
  /** A card whose cosine similarity to the scene reaches this enters without a keyword match (> 1 = never). */
  cardSimilarity: number;
  /** Cards activated by similarity per turn, at most. */
  maxSimilarCards: number;
  /** Pinned memories per turn, at most (newest first). */
  maxPinned: number;
}

export const DEFAULT_MEMORY_SETTINGS: MemorySettings = {
  topK: 5,
  weights: { relevance: 1, recency: 1, importance: 1 },
  decay: 0.99,
  candidates: 50,
  summaryEveryTurns: 20,
  historyTurns: 6,
  summaryMaxChars: 1500,
  cardSimilarity: 0.45,
  maxSimilarCards: 3,
  maxPinned: 10,
};


/** Parse `MEMORY_WEIGHTS` ("relevance,recency,importance", e.g. "1,0.5,1"); null when malformed. */
export function parseWeights(value: string): MemoryWeights | null {
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) return null;
  return { relevance: parts[0]!, recency: parts[1]!, importance: parts[2]! };
}
