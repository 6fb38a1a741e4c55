/**
 * The retrieval score of the Generative Agents paper (Park et al., 2023):
 *   score = wRel·relevance + wRec·recency + wImp·importance/10
 * relevance is the cosine similarity to the query, min-max scaled over the candidates (as in the
 * paper, so the weights mean the same whatever cosine range an embedder produces); recency is
 * decay^(current turn − the memory's turn); importance is the 1–10 rating.
 * @module
 */
import type { MemoryCandidate } from '../domain/ports/memory-store.js';
import type { MemoryScoreTrace } from '../domain/ports/memory.js';
import type { StoredMemory } from '../domain/types.js';
import type { MemoryWeights } from './memory-settings.js';
import { compareRanked } from '../shared/rank-order.js';

export interface ScoreOptions {
  turnNo: number;
  weights: MemoryWeights;
  decay: number;
}

export type ScoredMemory = Omit<MemoryScoreTrace, 'reason'> & { memory: StoredMemory };

/** Score every candidate; not ordered. */
export function scoreMemories(candidates: readonly MemoryCandidate[], o: ScoreOptions): ScoredMemory[] {
  const sims = candidates.map((c) => c.similarity).filter((s): s is number => s !== null);
  const lo = sims.length > 0 ? Math.min(...sims) : 0;
  const hi = sims.length > 0 ? Math.max(...sims) : 0;
  const relevanceOf = (s: number | null) => {
    if (s === null) return 0;
    // One candidate, or all equally similar: nothing to scale against, keep the cosine itself.
    if (hi - lo < 1e-9) return Math.max(0, Math.min(1, s));
    return (s - lo) / (hi - lo);
  };
  return candidates.map(({ similarity, ...memory }) => {
    const relevance = relevanceOf(similarity);
    const recency = Math.pow(o.decay, Math.max(0, o.turnNo - memory.turnNo));
    const score = o.weights.relevance * relevance + o.weights.recency * recency + o.weights.importance * (memory.importance / 10);
    return {
      memory: { ...memory, score },
      id: memory.id,
      text: memory.text,
      kind: memory.kind,
      turnNo: memory.turnNo,
      importance: memory.importance,
      pinned: memory.pinned ?? false,
      similarity,
      relevance,
      recency,
      score,
    };
  });
}

/** The top `k` by score, then every pinned memory not already among them (best first, at most `maxPinned`). */
export function selectMemories(scored: readonly ScoredMemory[], k: number, maxPinned: number): MemoryScoreTrace[] {
  const sorted = [...scored].sort(compareRanked);
  const top = sorted.slice(0, Math.max(0, k));
  const chosen = new Set(top.map((s) => s.id));
  const pinned = sorted.filter((s) => s.pinned && !chosen.has(s.id)).slice(0, maxPinned);
  const strip = ({ memory: _m, ...t }: ScoredMemory, reason: MemoryScoreTrace['reason']): MemoryScoreTrace => ({ ...t, reason });
  return [...top.map((s) => strip(s, 'top_k')), ...pinned.map((s) => strip(s, 'pinned'))];
}
