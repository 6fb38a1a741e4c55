import { describe, expect, it } from 'vitest';
import type { MemoryCandidate } from '../domain/ports/memory-store.js';
import { scoreMemories, selectMemories } from './score-memories.js';

const mem = (id: string, turnNo: number, importance: number, similarity: number | null, pinned = false): MemoryCandidate => ({
  id,
  sessionId: 's',
  turnNo,
  kind: 'event',
  text: id,
  importance,
  pinned,
  similarity,
});
const W = { relevance: 1, recency: 1, importance: 1 };

describe('retrieval score (Generative Agents)', () => {
  it('computes relevance (min-max scaled cosine), recency (decay^age) and importance/10', () => {
    const scored = scoreMemories([mem('a', 10, 5, 0.9), mem('b', 8, 10, 0.1), mem('c', 0, 1, 0.5)], { turnNo: 10, weights: W, decay: 0.5 });
    const by = Object.fromEntries(scored.map((s) => [s.id, s]));
    expect(by.a).toMatchObject({ relevance: 1, recency: 1 });
    expect(by.a!.score).toBeCloseTo(1 + 1 + 0.5);
    expect(by.b).toMatchObject({ relevance: 0, recency: 0.25 });
    expect(by.b!.score).toBeCloseTo(0 + 0.25 + 1);
    expect(by.c!.relevance).toBeCloseTo(0.5);
    expect(by.c!.recency).toBeCloseTo(0.5 ** 10);
    expect(by.c!.score).toBeCloseTo(0.5 + 0.5 ** 10 + 0.1);
  });

  it('ranks by the weighted sum: weights move the order as the formula says', () => {
    const cands = [mem('relevant-old', 1, 3, 0.8), mem('recent', 100, 3, 0.2), mem('important', 50, 10, 0.3)];
    const order = (weights: typeof W) => selectMemories(scoreMemories(cands, { turnNo: 100, weights, decay: 0.99 }), 3, 0).map((m) => m.id);
    expect(order({ relevance: 1, recency: 0, importance: 0 })).toEqual(['relevant-old', 'important', 'recent']);
    expect(order({ relevance: 0, recency: 1, importance: 0 })).toEqual(['recent', 'important', 'relevant-old']);
    expect(order({ relevance: 0, recency: 0, importance: 1 })).toEqual(['important', 'recent', 'relevant-old']);
    // Defaults 1/1/1: relevant-old = 1 + 0.99^99 + 0.3 ≈ 1.67; recent = 0 + 1 + 0.3; important = 1/6 + 0.99^50 + 1 ≈ 1.77.
    expect(order(W)).toEqual(['important', 'relevant-old', 'recent']);
  });

  it('returns the top k plus pinned memories, each with the reason and its components', () => {
    const cands = [mem('a', 5, 5, 0.9), mem('b', 5, 5, 0.8), mem('c', 5, 5, 0.7), mem('pinned-low', 1, 1, 0.0, true), mem('pinned-top', 5, 5, 0.95, true)];
    const got = selectMemories(scoreMemories(cands, { turnNo: 5, weights: W, decay: 0.99 }), 2, 10);
    expect(got.map((m) => [m.id, m.reason])).toEqual([
      ['pinned-top', 'top_k'],
      ['a', 'top_k'],
      ['pinned-low', 'pinned'],
    ]);
    for (const m of got) expect(m).toEqual(expect.objectContaining({ similarity: expect.any(Number), relevance: expect.any(Number), recency: expect.any(Number), score: expect.any(Number) }));
  });

  it('breaks ties by newer turn, then id; keeps the cosine when all candidates are equally similar', () => {
    const got = selectMemories(scoreMemories([mem('b', 3, 5, 0.4), mem('a', 3, 5, 0.4), mem('z', 4, 5, 0.4)], { turnNo: 4, weights: { relevance: 1, recency: 0, importance: 1 }, decay: 0.9 }), 3, 0);
    expect(got.map((m) => m.id)).toEqual(['z', 'a', 'b']);
    expect(got[0]!.relevance).toBeCloseTo(0.4);
  });

  it('gives memories without a usable embedding no relevance', () => {
    const [s] = scoreMemories([mem('x', 1, 10, null, true), mem('y', 1, 1, 0.5)], { turnNo: 1, weights: W, decay: 0.99 });
    expect(s).toMatchObject({ id: 'x', relevance: 0, score: 2 });
  });
});
