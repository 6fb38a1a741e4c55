/**
 * One session's memories held in process, and the exact cosine search over them. Small sessions
 * are scanned row by row; from INDEX_MIN_ROWS on, an int8 index (Int8Codes) scans every row in
 * a millisecond or two and rules out all but a few, which are then scored exactly. Either way the
 * answer is the exact one, in the order rankByCosine and the pgvector query give.
 * @module
 */
import type { MemoryCandidate, MemoryOrigin, TimelineFilter } from '../../domain/ports/memory-store.js';
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

export class SessionIndex {
  readonly #rows: CachedMemory[] = [];
  readonly #slots = new Map<string, number>();
  /** Slots of pinned rows: every search lists them, and they are few. */
  readonly #pinned = new Set<number>();
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

  /** Rows whose stored version is newer than `ms`. */
  rowsUpdatedAfter(ms: number): CachedMemory[] {
    return this.#rows.filter((m) => m.updatedAtMs > ms);
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
    if (m.pinned) this.#pinned.add(slot);
    else this.#pinned.delete(slot);
    if (this.#codes) this.#codes.set(slot, m.vector, m.norm);
    // Built as soon as the session is large enough, so the cache's byte count includes it.
    else if (this.#rows.length >= (this.options.indexMinRows ?? INDEX_MIN_ROWS)) this.#buildCodes(m.vector.length);
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
    // No row left out can be in the top `limit`: `limit` rows are certainly at least as similar.
    const rows = this.#rows;
    for (const slot of codes.shortlist(q, norm, limit, (r) => eligible(rows[r]!))) consider(rows[slot]!);
    return top;
  }

  /** Pinned memories on the timeline, with their similarity (null without a usable embedding). */
  pinned(sessionId: string, query: readonly number[], filter: SearchFilter = {}): MemoryCandidate[] {
    const q = query.map(Math.fround);
    const out: MemoryCandidate[] = [];
    for (const slot of this.#pinned) {
      const m = this.#rows[slot]!;
      if (!isOnTimeline(m, filter.timelineTurn)) continue;
      const usable = m.vector.length === q.length && ofModel(m, filter.model);
      const { score: _s, ...memory } = toHit(m, sessionId, 0);
      out.push({ ...memory, similarity: usable ? cosineSimilarity(q, m.vector) : null });
    }
    return out;
  }

  /** The int8 index for queries of `dims`, once the session is large enough. */
  #codesFor(dims: number): Int8Codes | null {
    if (this.#rows.length < (this.options.indexMinRows ?? INDEX_MIN_ROWS)) return null;
    // Built for the size of today's queries; a change of embedding model rebuilds it.
    return this.#codes?.dims === dims ? this.#codes : this.#buildCodes(dims);
  }

  #buildCodes(dims: number): Int8Codes {
    const codes = new Int8Codes(dims, { useWasm: this.options.useWasm });
    this.#rows.forEach((m, slot) => codes.set(slot, m.vector, m.norm));
    this.#codes = codes;
    return codes;
  }
}
