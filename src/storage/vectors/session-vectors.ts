/**
 * The in-process memory search's working set: each session's memories and embeddings held in
 * process (SessionIndex) and brought up to date cheaply, instead of reading every embedding of
 * the session from the database on every turn (10k memories: ~1 s of array decoding per search).
 *
 * Freshness: triggers keep `memory_stats (revision, row_count)` per session (migration 0006).
 * A turn's load reads that row; a search given it (`asOf`) that finds the copy at that revision
 * runs no query at all. Otherwise a search runs one: that row and, when the revision moved, the
 * rows updated since the newest one the cache has seen (minus an overlap, for transactions that
 * committed late with an older `now()`), in one snapshot. Inserts and edits arrive in that
 * delta; a delete shows as a count the cache cannot match, and the session is reloaded. Sessions
 * are evicted least-recently-used within a byte budget; a session too large for the budget is not
 * cached at all (the caller falls back).
 * @module
 */
import { sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { MemoryCandidate, MemoryOrigin, MemoryRevision } from '../../domain/ports/memory-store.js';
import type { MemoryCacheStats } from '../stats.js';
import type { StoredMemory } from '../../domain/types.js';
import { queryRows, type Db } from '../repos/query.js';
import { statementSql, type RawQuery, type Statement } from '../repos/statement.js';
import { SessionIndex, type CachedMemory, type SearchFilter, type VectorHit } from './session-index.js';

export type { SearchFilter, VectorHit } from './session-index.js';

/** A row committed this long after a newer one can still be seen; re-read the window each time. */
const OVERLAP_MS = 5_000;
/** A session found larger than the whole budget is served by the database for this long before the cache tries it again. */
const TOO_LARGE_RETRY_MS = 5 * 60_000;

interface SessionEntry {
  index: SessionIndex;
  revision: number;
  watermarkMs: number;
  /** Rows updated within the overlap window, with the version held: the next change read skips them. */
  recent: Map<string, number>;
}

interface MemoryRow {
  id: string;
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

export interface SessionVectorCacheOptions {
  /**
   * On a miss, `wait` loads the session before answering (the portable path has nothing else);
   * `background` answers null at once and loads it for the next search (pgvector can answer
   * from its index meanwhile).
   */
  onMiss?: 'wait' | 'background';
  /** Scan with the WebAssembly kernel where it runs (tests turn it off to cover the JS loop). */
  useWasm?: boolean;
  /**
   * Runs the per-search refresh as a fixed statement (the hot path's connections: see
   * PipelinedClients); without it, the refresh goes through `db` like the rest.
   */
  query?: RawQuery;
  /** Session size from which the int8 index is kept. */
  indexMinRows?: number;
}

function toCached(r: MemoryRow): CachedMemory {
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
    sumSq: sq,
    norm: Math.sqrt(sq),
    updatedAtMs: Number(r.updated_at_ms),
  };
}

const ROW_COLUMN_LIST = `id, turn_no, kind, text, importance, pinned, embedding_model, origin,
  array_to_json(embedding)::text AS embedding, (extract(epoch FROM updated_at) * 1000)::float8 AS updated_at_ms`;
const ROW_COLUMNS = sql.raw(ROW_COLUMN_LIST);

// $1 session, $2 the revision the cache holds, $3 the watermark minus the overlap, $4 rows seen
// within the overlap ([{id, ms}]).
const REFRESH: Statement = {
  name: 'md_memory_refresh_v1',
  text: `SELECT st.revision, st.total, d.*
  FROM (SELECT coalesce(max(revision), 0)::float8 AS revision, coalesce(max(row_count), 0)::int AS total
          FROM memory_stats WHERE session_id = $1::text) AS st
  LEFT JOIN LATERAL (
    SELECT ${ROW_COLUMN_LIST}
      FROM memories m
     WHERE st.revision <> $2::float8
       AND m.session_id = $1::text
       AND m.updated_at > $3::timestamptz
       AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($4::jsonb) AS k(id text, ms float8)
                        WHERE k.id = m.id AND k.ms = (extract(epoch FROM m.updated_at) * 1000)::float8)) AS d ON TRUE`,
};

export class SessionVectorCache {
  /**
   * Least recently used first, within the byte budget. An index grows in place between refreshes,
   * so every refresh sets its entry again: lru-cache measures it anew and evicts to fit. A session
   * larger than the whole budget is not stored at all.
   */
  readonly #entries: LRUCache<string, SessionEntry>;
  readonly #refreshing = new Map<string, Promise<SessionEntry | null>>();
  /** Sessions larger than the budget, and when that was found. */
  readonly #tooLarge = new Map<string, number>();
  readonly #counts = { hits: 0, refreshes: 0, loads: 0, misses: 0 };

  constructor(
    private readonly db: Db,
    private readonly budgetBytes: number,
    private readonly options: SessionVectorCacheOptions = {},
  ) {
    // lru-cache wants positive integer sizes; an empty session still costs its bookkeeping.
    this.#entries = new LRUCache({ maxSize: Math.max(1, Math.floor(budgetBytes)), sizeCalculation: (e) => Math.max(1, Math.ceil(e.index.bytes)) });
  }

  /** Bytes held now (for tests and metrics). */
  get bytes(): number {
    return this.#entries.calculatedSize;
  }

  stats(): MemoryCacheStats {
    return { bytes: this.bytes, budgetBytes: this.budgetBytes, sessions: this.#entries.size, ...this.#counts };
  }

  /**
   * The session's `limit` most similar memories, or null when the session is not served from
   * the cache (larger than the budget, or still loading in `background` mode).
   */
  async search(sessionId: string, query: readonly number[], limit: number, filter: SearchFilter = {}): Promise<VectorHit[] | null> {
    const entry = await this.#serve(sessionId);
    return entry ? entry.index.search(sessionId, query, limit, filter) : null;
  }

  /**
   * `search` plus the session's pinned memories with their similarity, from one fresh copy. With
   * `asOf` (what the turn's load read), a copy at that revision and row count is fresh enough:
   * no statement at all.
   */
  async candidates(sessionId: string, query: readonly number[], limit: number, filter: SearchFilter = {}, asOf?: MemoryRevision): Promise<{ similar: VectorHit[]; pinned: MemoryCandidate[] } | null> {
    const entry = this.#current(sessionId, asOf) ?? (await this.#serve(sessionId));
    if (!entry) return null;
    return { similar: query.length > 0 ? entry.index.search(sessionId, query, limit, filter) : [], pinned: entry.index.pinned(sessionId, query, filter) };
  }

  /** Forget a session (its memories were deleted with it). */
  drop(sessionId: string): void {
    this.#entries.delete(sessionId);
  }

  /** The cached copy when it is at `asOf`'s revision and row count (most recently used now). */
  #current(sessionId: string, asOf: MemoryRevision | undefined): SessionEntry | null {
    if (!asOf) return null;
    const entry = this.#entries.peek(sessionId);
    if (!entry || entry.revision !== asOf.revision || entry.index.size !== asOf.rows) return null;
    this.#entries.get(sessionId);
    this.#counts.hits += 1;
    return entry;
  }

  async #serve(sessionId: string): Promise<SessionEntry | null> {
    const entry = await this.#lookup(sessionId);
    if (!entry) this.#counts.misses += 1;
    return entry;
  }

  async #lookup(sessionId: string): Promise<SessionEntry | null> {
    if (this.#entries.has(sessionId)) return this.#fresh(sessionId);
    // A session found too large is not read (and thrown away) again on every turn.
    const foundTooLarge = this.#tooLarge.get(sessionId);
    if (foundTooLarge !== undefined && Date.now() - foundTooLarge < TOO_LARGE_RETRY_MS) return null;
    if (this.options.onMiss !== 'background') return this.#fresh(sessionId);
    void this.#fresh(sessionId).catch(() => undefined);
    return null;
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
    // peek: recency moves only when the refreshed entry is set again below.
    const cached = this.#entries.peek(sessionId);
    let entry = cached ? await this.#update(sessionId, cached) : null;
    if (!entry) {
      entry = await this.#load(sessionId);
      if (entry) this.#counts.loads += 1;
    }
    if (!entry) return null;
    // Most recently used now, measured again; older sessions are evicted until the budget holds.
    this.#entries.set(sessionId, entry);
    if (this.#entries.has(sessionId)) return entry;
    // It grew past the whole budget on its own (lru-cache did not keep it): read directly from now on.
    this.#tooLarge.set(sessionId, Date.now());
    return null;
  }

  /**
   * One query, one snapshot: the session's revision and row count and, only when the revision
   * moved, the rows updated since the watermark (minus the overlap) that the cache does not
   * already hold in that version. Rows seen within the overlap window are passed along to be
   * left out, so the window does not re-send their vectors on every search.
   */
  async #update(sessionId: string, entry: SessionEntry): Promise<SessionEntry | null> {
    const since = entry.watermarkMs - OVERLAP_MS;
    for (const [id, ms] of entry.recent) if (ms <= since) entry.recent.delete(id);
    const known = JSON.stringify([...entry.recent].map(([id, ms]) => ({ id, ms })));
    type Row = { revision: number; total: number } & ({ id: null } | MemoryRow);
    const values = [sessionId, entry.revision, new Date(since).toISOString(), known];
    const rows = this.options.query ? await this.options.query<Row>(REFRESH, values) : await queryRows<Row>(this.db, statementSql(REFRESH, values));
    const head = rows[0];
    const revision = head?.revision ?? 0;
    const total = head?.total ?? 0;
    const { index } = entry;
    if (revision === entry.revision && total === index.size) {
      this.#counts.hits += 1;
      return entry;
    }
    this.#counts.refreshes += 1;
    const changed = rows.filter((r): r is typeof r & MemoryRow => r.id !== null).map(toCached);
    // A deleted row leaves the cache with more rows than the table: start over.
    if (index.size + changed.filter((m) => !index.get(m.id)).length !== total) return null;
    for (const m of changed) {
      index.upsert(m);
      entry.recent.set(m.id, m.updatedAtMs);
      entry.watermarkMs = Math.max(entry.watermarkMs, m.updatedAtMs);
    }
    entry.revision = revision;
    return entry;
  }

  /** The whole session and its revision, in one snapshot. */
  async #load(sessionId: string): Promise<SessionEntry | null> {
    const rows = await queryRows<MemoryRow & { revision: number }>(
      this.db,
      sql`SELECT coalesce((SELECT revision FROM memory_stats WHERE session_id = ${sessionId}::text), 0)::float8 AS revision, ${ROW_COLUMNS}
            FROM memories WHERE session_id = ${sessionId}::text`,
    );
    const entry: SessionEntry = { index: new SessionIndex(this.options), revision: rows[0]?.revision ?? 0, watermarkMs: 0, recent: new Map() };
    for (const r of rows) {
      const m = toCached(r);
      entry.index.upsert(m);
      entry.watermarkMs = Math.max(entry.watermarkMs, m.updatedAtMs);
      if (entry.index.bytes > this.budgetBytes) {
        this.#tooLarge.set(sessionId, Date.now());
        return null;
      }
    }
    this.#tooLarge.delete(sessionId);
    for (const m of entry.index.rowsUpdatedAfter(entry.watermarkMs - OVERLAP_MS)) entry.recent.set(m.id, m.updatedAtMs);
    return entry;
  }
}
