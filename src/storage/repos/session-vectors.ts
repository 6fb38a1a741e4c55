/**
 * The portable memory search's working set: each session's embeddings kept in process memory and
 * brought up to date by one cheap query per search, instead of reading every embedding of the
 * session from the database on every turn (10k memories: ~1 s of array decoding per search).
 *
 * Freshness: every memory write sets `updated_at = now()`. A search reads the rows updated since
 * the newest one it has seen (minus an overlap, for transactions that committed late with an
 * older `now()`), plus the session's row count in the same snapshot. Inserts and edits arrive in
 * that delta; a delete shows as a count the cache cannot match, and the session is reloaded.
 * Entries are evicted least-recently-used within a byte budget; a session too large for the
 * budget is not cached at all (the caller falls back to reading it).
 * @module
 */
import { sql } from 'drizzle-orm';
import type { StoredMemory } from '../../domain/types.js';
import type { MemoryOrigin, TimelineFilter } from '../../domain/ports/store.js';
import { compareHits } from './cosine.js';
import { isOnTimeline } from './memory-origin.js';
import { queryRows, type Db } from './query.js';

/** A row committed this long after a newer one can still be seen; re-read the window each time. */
const OVERLAP_MS = 5_000;
/** What one cached memory costs besides its vector (ids, text, object headers), in bytes. */
const ROW_OVERHEAD_BYTES = 160;

interface CachedMemory extends StoredMemory {
  embeddingModel: string | null;
  origin: MemoryOrigin;
  vector: Float32Array;
  norm: number;
  updatedAtMs: number;
}

interface SessionEntry {
  rows: Map<string, CachedMemory>;
  watermarkMs: number;
  bytes: number;
}

interface DeltaRow {
  total: number;
  id: string | null;
  turn_no: number;
  kind: StoredMemory['kind'];
  text: string;
  importance: number;
  pinned: boolean;
  embedding_model: string | null;
  origin: MemoryOrigin;
  embedding: string;
  updated_at_ms: number;
}

export interface VectorHit extends StoredMemory {
  score: number;
}

export interface SearchFilter extends TimelineFilter {
  /** Embedding space to search; rows of another model (null = written before models were recorded) are skipped. */
  model?: string;
}

function bytesOf(m: CachedMemory): number {
  return m.vector.byteLength + m.text.length * 2 + ROW_OVERHEAD_BYTES;
}

function toCached(r: DeltaRow & { id: string }): CachedMemory {
  const vector = Float32Array.from(JSON.parse(r.embedding) as number[]);
  let sq = 0;
  for (const x of vector) sq += x * x;
  return {
    id: r.id,
    sessionId: '',
    turnNo: r.turn_no,
    kind: r.kind,
    text: r.text,
    importance: r.importance,
    pinned: r.pinned,
    embeddingModel: r.embedding_model,
    origin: r.origin,
    vector,
    norm: Math.sqrt(sq),
    updatedAtMs: Number(r.updated_at_ms),
  };
}

/** Exact cosine top-k over one session's cached rows; same arithmetic and order as rankByCosine. */
function rank(entry: SessionEntry, sessionId: string, query: readonly number[], limit: number, filter: SearchFilter): VectorHit[] {
  const q = Float64Array.from(query, Math.fround);
  let qq = 0;
  for (const x of q) qq += x * x;
  if (qq === 0 || limit <= 0) return [];
  const qNorm = Math.sqrt(qq);
  const top: VectorHit[] = [];
  for (const m of entry.rows.values()) {
    if (m.vector.length !== q.length || m.norm === 0) continue;
    if (filter.model !== undefined && m.embeddingModel !== null && m.embeddingModel !== filter.model) continue;
    if (!isOnTimeline(m, filter.timelineTurn)) continue;
    let dot = 0;
    const v = m.vector;
    for (let i = 0; i < v.length; i += 1) dot += q[i]! * v[i]!;
    const score = Math.min(1, Math.max(-1, dot / (qNorm * m.norm)));
    if (top.length === limit && compareHits({ score, turnNo: m.turnNo, id: m.id }, top[limit - 1]!) >= 0) continue;
    const { embeddingModel: _m, origin: _o, vector: _v, norm: _n, updatedAtMs: _u, ...memory } = m;
    const hit: VectorHit = { ...memory, sessionId, score };
    // Insertion into the short sorted list: k is small (≤ 100), the scan dominates.
    let at = top.length;
    while (at > 0 && compareHits(hit, top[at - 1]!) < 0) at -= 1;
    top.splice(at, 0, hit);
    if (top.length > limit) top.pop();
  }
  return top;
}

export class SessionVectorCache {
  readonly #entries = new Map<string, SessionEntry>();
  readonly #refreshing = new Map<string, Promise<SessionEntry | null>>();
  #bytes = 0;

  constructor(
    private readonly db: Db,
    private readonly budgetBytes: number,
  ) {}

  /** Bytes held now (for tests and metrics). */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The session's `limit` most similar memories, or null when the session does not fit in the
   * budget (the caller then reads it directly).
   */
  async search(sessionId: string, query: readonly number[], limit: number, filter: SearchFilter = {}): Promise<VectorHit[] | null> {
    const entry = await this.#fresh(sessionId);
    return entry ? rank(entry, sessionId, query, limit, filter) : null;
  }

  /** Forget a session (its memories were deleted with it). */
  drop(sessionId: string): void {
    const entry = this.#entries.get(sessionId);
    if (!entry) return;
    this.#bytes -= entry.bytes;
    this.#entries.delete(sessionId);
  }

  /** One refresh per session at a time: concurrent searches share it. */
  #fresh(sessionId: string): Promise<SessionEntry | null> {
    let pending = this.#refreshing.get(sessionId);
    if (!pending) {
      pending = this.#refresh(sessionId).finally(() => this.#refreshing.delete(sessionId));
      this.#refreshing.set(sessionId, pending);
    }
    return pending;
  }

  async #refresh(sessionId: string): Promise<SessionEntry | null> {
    const cached = this.#entries.get(sessionId);
    let entry = cached ? await this.#applyDelta(sessionId, cached) : null;
    if (!entry) entry = await this.#load(sessionId);
    if (!entry) return null;
    // Re-insert: Map order is the LRU order.
    if (!this.#entries.delete(sessionId)) this.#bytes += entry.bytes;
    this.#entries.set(sessionId, entry);
    this.#evict(sessionId);
    return this.#entries.has(sessionId) ? entry : null;
  }

  /**
   * What changed since `sinceMs` (ids and times only), and the row count, in one snapshot. The
   * embeddings are fetched afterwards for the rows that are new or newer than the cached copy:
   * the overlap window re-lists recent rows on every search, and must not re-read their vectors.
   */
  #changedSince(sessionId: string, sinceMs: number): Promise<{ total: number; id: string | null; updated_at_ms: number }[]> {
    return queryRows(
      this.db,
      sql`SELECT c.total, d.id, d.updated_at_ms
            FROM (SELECT count(*)::int AS total FROM memories WHERE session_id = ${sessionId}::text) AS c
            LEFT JOIN LATERAL (
              SELECT id, (extract(epoch FROM updated_at) * 1000)::float8 AS updated_at_ms
                FROM memories
               WHERE session_id = ${sessionId}::text
                 AND updated_at > ${new Date(sinceMs - OVERLAP_MS).toISOString()}::timestamptz) AS d ON TRUE`,
    );
  }

  /** Full rows: the whole session, or the given ids of it. */
  #read(sessionId: string, ids?: string[]): Promise<DeltaRow[]> {
    const which = ids === undefined ? sql`TRUE` : sql`id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
    return queryRows<DeltaRow>(
      this.db,
      sql`SELECT 0 AS total, id, turn_no, kind, text, importance, pinned, embedding_model, origin,
                 array_to_json(embedding)::text AS embedding,
                 (extract(epoch FROM updated_at) * 1000)::float8 AS updated_at_ms
            FROM memories
           WHERE session_id = ${sessionId}::text AND ${which}`,
    );
  }

  async #applyDelta(sessionId: string, entry: SessionEntry): Promise<SessionEntry | null> {
    const changes = await this.#changedSince(sessionId, entry.watermarkMs);
    const total = changes[0]?.total ?? 0;
    const stale = changes.filter((c) => c.id !== null && !(entry.rows.get(c.id)?.updatedAtMs === Number(c.updated_at_ms))).map((c) => c.id!);
    // A deleted row leaves the cache with more rows than the table: start over.
    if (entry.rows.size + stale.filter((id) => !entry.rows.has(id)).length !== total) {
      this.drop(sessionId);
      return null;
    }
    if (stale.length === 0) return entry;
    for (const r of await this.#read(sessionId, stale)) {
      const next = toCached(r as DeltaRow & { id: string });
      const previous = entry.rows.get(next.id);
      const grew = bytesOf(next) - (previous ? bytesOf(previous) : 0);
      entry.rows.set(next.id, next);
      entry.bytes += grew;
      this.#bytes += grew;
      entry.watermarkMs = Math.max(entry.watermarkMs, next.updatedAtMs);
    }
    // A row deleted between the two reads: the count no longer matches.
    if (entry.rows.size !== total) {
      this.drop(sessionId);
      return null;
    }
    return entry;
  }

  async #load(sessionId: string): Promise<SessionEntry | null> {
    const rows = await this.#read(sessionId);
    const entry: SessionEntry = { rows: new Map(), watermarkMs: 0, bytes: 0 };
    for (const r of rows) {
      const m = toCached(r as DeltaRow & { id: string });
      entry.rows.set(m.id, m);
      entry.bytes += bytesOf(m);
      entry.watermarkMs = Math.max(entry.watermarkMs, m.updatedAtMs);
    }
    if (entry.bytes > this.budgetBytes) return null;
    return entry;
  }

  /** Drop least recently used sessions until the budget holds; the one just used goes last. */
  #evict(justUsed: string): void {
    for (const [id, e] of this.#entries) {
      if (this.#bytes <= this.budgetBytes) break;
      if (id === justUsed) continue;
      this.#bytes -= e.bytes;
      this.#entries.delete(id);
    }
    // A session that grew past the whole budget on its own is read directly from now on.
    if (this.#bytes > this.budgetBytes) this.drop(justUsed);
  }
}
