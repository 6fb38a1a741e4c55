/**
 * One session's memories held in process, and the exact cosine search over them. Small sessions
 * are scanned row by row; from INDEX_MIN_ROWS on, an int8 index (Int8Codes) scans every row in
 * a millisecond or two and rules out all but a few, which are then scored exactly. Either way the
 * answer is the exact one, in the order rankByCosine and the pgvector query give.
 * @module
 */
import type { MemoryCandidate, MemoryOrigin, TimelineFilter } from '../../domain/ports/store.js';
import type { StoredMemory } from '../../domain/types.js';
import { compareHits, cosineSimilarity } from '../repos/cosine.js';
import { isOnTimeline } from '../repos/memory-origin.js';
import { Int8Codes } from './int8-codes.js';

/** Below this many rows a plain scan is as fast as keeping an index (≈0.3 ms at 1k × 256). */
export const INDEX_MIN_ROWS = 1024;
/** What one cached memory costs besides its vector (ids, text, object headers), in bytes. */
const ROW_OVERHEAD_BYTES = 160;

export interface CachedMemory extends StoredMemory {
  embeddingModel: string | null;
  origin: MemoryOrigin;
  vector: Float32Array;
  /** Σv² in index order, as cosineSimilarity sums it: the exact score must match it bit for bit. */
  sumSq: number;
  norm: number;
  updatedAtMs: number;
}

export interface VectorHit extends StoredMemory {
  score: number;
}

export interface SearchFilter extends TimelineFilter {
  /** Embedding space to search; rows of another model (null = written before models were recorded) are skipped. */
  model?: string;
}

export function bytesOf(m: CachedMemory): number {
  return m.vector.byteLength + m.text.length * 2 + ROW_OVERHEAD_BYTES;
}

function ofModel(m: CachedMemory, model: string | undefined): boolean {
  return model === undefined || m.embeddingModel === null || m.embeddingModel === model;
}

function toHit(m: CachedMemory, sessionId: string, score: number): VectorHit {
  return { id: m.id, sessionId, turnNo: m.turnNo, kind: m.kind, text: m.text, importance: m.importance, pinned: m.pinned, score };
}

/** The query as the search compares it: float32-rounded (as stored vectors are), Σq² and its norm. */
function prepareQuery(query: readonly number[]): { q: Float64Array; sumSq: number; norm: number } {
  const q = Float64Array.from(query, Math.fround);
  let qq = 0;
  for (const x of q) qq += x * x;
  return { q, sumSq: qq, norm: Math.sqrt(qq) };
}

/**
 * Exact cosine with cosineSimilarity's arithmetic (same sums, same order, same division), so
 * near-ties break the same way here as in rankByCosine and on the uncached path.
 */
function exactScore(q: Float64Array, qSumSq: number, m: CachedMemory): number {
  let dot = 0;
  const v = m.vector;
  for (let i = 0; i < v.length; i += 1) dot += q[i]! * v[i]!;
  return Math.min(1, Math.max(-1, dot / Math.sqrt(qSumSq * m.sumSq)));
}

/** Whether a row scoring `score` would enter `top` (holding the best `limit` so far). */
function entersTop(top: VectorHit[], limit: number, score: number, m: CachedMemory): boolean {
  if (top.length < limit) return true;
  const last = top[limit - 1]!;
  return score > last.score || (score === last.score && compareHits({ score, turnNo: m.turnNo, id: m.id }, last) < 0);
}

/** Keeps the best `limit` hits by compareHits; insertion into a short sorted list (k ≤ 100). */
function pushTop(top: VectorHit[], hit: VectorHit, limit: number): void {
  let at = top.length;
  while (at > 0 && compareHits(hit, top[at - 1]!) < 0) at -= 1;
  top.splice(at, 0, hit);
  if (top.length > limit) top.pop();
}

/** Min-heap of the `size` largest numbers seen: its root is the size-th largest. */
class TopNumbers {
  readonly #heap: Float64Array;
  #n = 0;
  constructor(readonly size: number) {
    this.#heap = new Float64Array(size);
  }
  get full(): boolean {
    return this.#n === this.size;
  }
  get min(): number {
    return this.#n === 0 ? -Infinity : this.#heap[0]!;
  }
  push(x: number): void {
    const h = this.#heap;
    if (this.#n < this.size) {
      let i = this.#n++;
      h[i] = x;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (h[p]! <= h[i]!) break;
        [h[p], h[i]] = [h[i]!, h[p]!];
        i = p;
      }
      return;
    }
    if (x <= h[0]!) return;
    h[0] = x;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < this.#n && h[l]! < h[s]!) s = l;
      if (r < this.#n && h[r]! < h[s]!) s = r;
      if (s === i) break;
      [h[s], h[i]] = [h[i]!, h[s]!];
      i = s;
    }
  }
}

export class SessionIndex {
  readonly #rows: CachedMemory[] = [];
  readonly #slots = new Map<string, number>();
  #codes: Int8Codes | null = null;
  #rowBytes = 0;

  constructor(private readonly options: { useWasm?: boolean; indexMinRows?: number } = {}) {}

  get size(): number {
    return this.#rows.length;
  }

  /** Memory held: rows plus the int8 index. */
  get bytes(): number {
    return this.#rowBytes + (this.#codes?.bytes ?? 0);
  }

  get(id: string): CachedMemory | undefined {
    const slot = this.#slots.get(id);
    return slot === undefined ? undefined : this.#rows[slot];
  }

  /** Insert or replace a row (by id). */
  upsert(m: CachedMemory): void {
    let slot = this.#slots.get(m.id);
    if (slot === undefined) {
      slot = this.#rows.length;
      this.#slots.set(m.id, slot);
      this.#rows.push(m);
    } else {
      this.#rowBytes -= bytesOf(this.#rows[slot]!);
      this.#rows[slot] = m;
    }
    this.#rowBytes += bytesOf(m);
    this.#codes?.set(slot, m.vector, m.norm);
  }

  /** The `limit` most similar memories, best first (ties: newer turn, then id). */
  search(sessionId: string, query: readonly number[], limit: number, filter: SearchFilter = {}): VectorHit[] {
    const { q, sumSq, norm } = prepareQuery(query);
    if (norm === 0 || limit <= 0) return [];
    const eligible = (m: CachedMemory) => m.vector.length === q.length && m.norm > 0 && ofModel(m, filter.model) && isOnTimeline(m, filter.timelineTurn);
    const codes = this.#codesFor(q.length);
    const top: VectorHit[] = [];
    const consider = (m: CachedMemory) => {
      if (!eligible(m)) return;
      const score = exactScore(q, sumSq, m);
      if (entersTop(top, limit, score, m)) pushTop(top, toHit(m, sessionId, score), limit);
    };
    if (!codes) {
      for (const m of this.#rows) consider(m);
      return top;
    }
    const n = this.#rows.length;
    const { lower, upper } = codes.bounds(q, norm);
    // The limit-th best lower bound among eligible rows: no row whose upper bound is below it can
    // be in the top `limit`, since `limit` rows are certainly at least that similar.
    const best = new TopNumbers(limit);
    for (let r = 0; r < n; r += 1) {
      if ((!best.full || lower[r]! > best.min) && eligible(this.#rows[r]!)) best.push(lower[r]!);
    }
    const cut = best.full ? best.min : -Infinity;
    for (let r = 0; r < n; r += 1) if (upper[r]! >= cut) consider(this.#rows[r]!);
    return top;
  }

  /** Pinned memories on the timeline, with their similarity (null without a usable embedding). */
  pinned(sessionId: string, query: readonly number[], filter: SearchFilter = {}): MemoryCandidate[] {
    const q = query.map(Math.fround);
    const out: MemoryCandidate[] = [];
    for (const m of this.#rows) {
      if (!m.pinned || !isOnTimeline(m, filter.timelineTurn)) continue;
      const usable = m.vector.length === q.length && ofModel(m, filter.model);
      const { score: _s, ...memory } = toHit(m, sessionId, 0);
      out.push({ ...memory, similarity: usable ? cosineSimilarity(q, m.vector) : null });
    }
    return out;
  }

  /** The int8 index for queries of `dims`, built on first need once the session is large enough. */
  #codesFor(dims: number): Int8Codes | null {
    if (this.#rows.length < (this.options.indexMinRows ?? INDEX_MIN_ROWS)) return null;
    if (this.#codes?.dims === dims) return this.#codes;
    // Built for the size of today's queries; a change of embedding model rebuilds it.
    const codes = new Int8Codes(dims, { useWasm: this.options.useWasm });
    this.#rows.forEach((m, slot) => codes.set(slot, m.vector, m.norm));
    this.#codes = codes;
    return codes;
  }
}
