/**
 * Exact cosine ranking in JS: the portable memory search, and the reference the pgvector path
 * must agree with. It mirrors pgvector's arithmetic where that decides the order: inputs are
 * rounded to float32 (pgvector stores `real`s), similarity is clamped to [-1, 1], and vectors with
 * no direction (zero norm) or another size than the query are skipped.
 * @module
 */

import { compareRanked } from '../../shared/rank-order.js';

/** Size of `memories.embedding_vec` (see migration 0001); other sizes fall back to JS search. */
export const VECTOR_DIMENSIONS = 256;

export interface CosineCandidate {
  id: string;
  turnNo: number;
  embedding: number[];
}

/** Search hits in the one total order both search paths use (see shared/rank-order.ts). */
export const compareHits = compareRanked;

/** Cosine similarity of two equal-length vectors, or null when either has zero norm. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return null;
  return Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb)));
}

/**
 * The `limit` candidates most similar to `query`, best first, each with its `score`.
 * Candidates whose embedding size differs from the query's are skipped, not padded.
 */
export function rankByCosine<T extends CosineCandidate>(
  query: readonly number[],
  candidates: readonly T[],
  limit: number,
): Array<T & { score: number }> {
  if (limit <= 0) return [];
  const q = query.map(Math.fround);
  const hits: Array<T & { score: number }> = [];
  for (const c of candidates) {
    if (c.embedding.length !== q.length) continue;
    const score = cosineSimilarity(q, c.embedding);
    if (score !== null) hits.push({ ...c, score });
  }
  return hits.sort(compareHits).slice(0, limit);
}

/** pgvector's text input format, `[1,2,3]`. */
export function toVectorLiteral(v: readonly number[]): string {
  return `[${v.join(',')}]`;
}
