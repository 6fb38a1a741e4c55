import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { MemoryCandidate, MemoryPatch, MemoryStore, NewMemory } from '../../domain/ports/memory-store.js';
import type { MemoryCacheStats } from '../stats.js';
import type { MemoryKind, StoredMemory } from '../../domain/types.js';
import { memories } from '../schema/index.js';
import { cosineSimilarity, rankByCosine, toVectorLiteral, VECTOR_DIMENSIONS } from './cosine.js';
import { onTimelineSql } from './memory-origin.js';
import { queryRows, quoteIdent, type Db } from './query.js';
import type { RawQuery } from './statement.js';
import { SessionVectorCache } from '../vectors/session-vectors.js';

/** Default memory for the in-process search's working set (see SessionVectorCache). */
export const DEFAULT_VECTOR_CACHE_BYTES = 256 * 1024 * 1024;

export interface MemoryRepoOptions {
  /** Budget of the in-process cache of session embeddings; 0 turns it off (every search goes to the database). */
  vectorCacheBytes?: number;
  /** Override what a search of a session the cache does not hold yet waits for (benchmarks, tests). */
  vectorCacheOnMiss?: 'wait' | 'background';
  /** The hot path's statements (see SessionVectorCacheOptions.query). */
  query?: RawQuery;
}

/** Where pgvector lives; null means memories are searched in JS (portable mode). */
export interface PgvectorInfo {
  /** Schema of the `vector` extension, used to qualify its type and operator. */
  schema: string;
}

const memoryFields = {
  id: memories.id,
  sessionId: memories.sessionId,
  turnNo: memories.turnNo,
  kind: memories.kind,
  text: memories.text,
  importance: memories.importance,
  pinned: memories.pinned,
};

interface MemoryRow {
  id: string;
  session_id: string;
  turn_no: number;
  kind: StoredMemory['kind'];
  text: string;
  importance: number;
  pinned: boolean;
}
type VectorHitRow = MemoryRow & { distance: number | null };
type PortableRow = MemoryRow & { embedding: string };

const COLUMNS = sql.raw('id, session_id, turn_no, kind, text, importance, pinned');

function toMemory(r: MemoryRow): StoredMemory {
  return { id: r.id, sessionId: r.session_id, turnNo: r.turn_no, kind: r.kind, text: r.text, importance: r.importance, pinned: r.pinned };
}

/** Rows of the current embedding space: written by `model`, or before models were recorded. */
function ofModel(model: string | undefined): SQL {
  return model === undefined ? sql`TRUE` : sql`(embedding_model IS NULL OR embedding_model = ${model}::text)`;
}

/**
 * Session memories, their similarity search and the player's edits. A session's memories are
 * searched exactly in process (SessionVectorCache: cached, kept current by memory_stats, int8
 * index for large sessions). When the cache cannot serve a session (over its budget, cache off,
 * or still loading), pgvector ranks them in the database (`embedding_vec <=> query`, HNSW) where
 * it is installed; without it the session's embeddings are read and ranked exactly in JS. All
 * paths order ties by newer turn, then id, so they return the same list (HNSW up to its recall).
 */
export function createMemoryRepo(db: Db, pgvector: PgvectorInfo | null, options: MemoryRepoOptions = {}): MemoryStore & { cacheStats(): MemoryCacheStats | null } {
  const cacheBytes = options.vectorCacheBytes ?? DEFAULT_VECTOR_CACHE_BYTES;
  // With pgvector a cold session is answered by the HNSW index while the cache loads it.
  const vectorCache = cacheBytes > 0 ? new SessionVectorCache(db, cacheBytes, { onMiss: options.vectorCacheOnMiss ?? (pgvector ? 'background' : 'wait'), ...(options.query ? { query: options.query } : {}) }) : null;

  async function readPortable(sessionId: string, dims: number, model: string | undefined, timelineTurn: number | undefined): Promise<(StoredMemory & { embedding: number[] })[]> {
    // Embeddings travel as JSON text: node-postgres' real[] parser made this ~3x slower
    // (400 × 256 floats: 37 ms vs 12 ms). Other sizes are filtered out here already.
    const rows = await queryRows<PortableRow>(
      db,
      sql`SELECT ${COLUMNS}, array_to_json(embedding)::text AS embedding
            FROM memories
           WHERE session_id = ${sessionId}::text AND cardinality(embedding) = ${dims}::int AND ${ofModel(model)} AND ${onTimelineSql(timelineTurn)}`,
    );
    return rows.map((r) => ({ ...toMemory(r), embedding: JSON.parse(r.embedding) as number[] }));
  }

  async function searchPortable(sessionId: string, embedding: number[], limit: number, model?: string, timelineTurn?: number): Promise<StoredMemory[]> {
    const candidates = await readPortable(sessionId, embedding.length, model, timelineTurn);
    return rankByCosine(embedding, candidates, limit).map(({ embedding: _e, ...m }) => m);
  }

  async function searchPgvector(ext: PgvectorInfo, sessionId: string, embedding: number[], limit: number, model?: string, timelineTurn?: number): Promise<StoredMemory[]> {
    const vec = sql.raw(`${quoteIdent(ext.schema)}.vector`);
    const op = sql.raw(`OPERATOR(${quoteIdent(ext.schema)}.<=>)`);
    // embedding_vec is null for zero or wrongly sized embeddings: the JS path skips those too.
    // The inner ORDER BY is the distance alone: only that order can be read from the HNSW index
    // (extra sort keys force an exact scan and sort of the whole session). The tie-break order
    // the portable path uses is applied to twice the rows wanted, so memories tied at the cut
    // (same vector) are cut by that order, as on the portable path. For a small session the planner
    // still prefers the session index and an exact sort, which is the fastest plan there.
    const rows = await queryRows<VectorHitRow>(
      db,
      sql`SELECT * FROM (
            SELECT ${COLUMNS}, embedding_vec ${op} ${toVectorLiteral(embedding)}::${vec} AS distance
              FROM memories
             WHERE session_id = ${sessionId}::text AND embedding_vec IS NOT NULL AND ${ofModel(model)} AND ${onTimelineSql(timelineTurn)}
             ORDER BY embedding_vec ${op} ${toVectorLiteral(embedding)}::${vec}
             LIMIT ${limit * 2}::int) AS hits
           ORDER BY distance, turn_no DESC, id COLLATE "C"
           LIMIT ${limit}::int`,
    );
    return rows.map((r) => ({ ...toMemory(r), score: 1 - Number(r.distance) }));
  }

  /** Pinned memories of the session with their similarity (null without a usable embedding). */
  async function pinnedWithSimilarity(sessionId: string, embedding: number[], model?: string, timelineTurn?: number): Promise<MemoryCandidate[]> {
    const rows = await queryRows<PortableRow & { embedding_model: string | null }>(
      db,
      sql`SELECT ${COLUMNS}, embedding_model, array_to_json(embedding)::text AS embedding
            FROM memories WHERE session_id = ${sessionId}::text AND pinned AND ${onTimelineSql(timelineTurn)}`,
    );
    return rows.map(({ embedding_model: em, ...r }) => {
      const e = JSON.parse(r.embedding) as number[];
      const usable = e.length === embedding.length && (model === undefined || em === null || em === model);
      return { ...toMemory(r), similarity: usable ? cosineSimilarity(embedding.map(Math.fround), e) : null };
    });
  }

  async function addIfTurnActive(m: NewMemory, turn: { turnNo: number; taskId: string | null }): Promise<StoredMemory | null> {
    // One statement: the turn's state is read in the snapshot the insert runs in.
    const rows = await queryRows<MemoryRow>(
      db,
      sql`INSERT INTO memories (id, origin, session_id, turn_no, kind, text, importance, embedding, embedding_model, pinned)
          SELECT ${randomUUID()}::text, ${m.origin ?? 'player'}::text, ${m.sessionId}::text, ${m.turnNo}::int, ${m.kind}::text, ${m.text}::text,
                 ${Math.round(m.importance)}::int, ${`{${m.embedding.join(',')}}`}::real[], ${m.embeddingModel ?? null}::text, ${m.pinned ?? false}::boolean
           WHERE EXISTS (SELECT 1 FROM turns WHERE session_id = ${m.sessionId}::text AND turn_no = ${turn.turnNo}::int
                            AND state = 'active' AND task_id IS NOT DISTINCT FROM ${turn.taskId}::text)
          ON CONFLICT DO NOTHING
          RETURNING ${COLUMNS}`,
    );
    return rows[0] ? toMemory(rows[0]) : null;
  }

  function usableQuery(embedding: number[]): boolean {
    // The vector column has a fixed size, and a zero query has no direction (pgvector: NaN).
    return embedding.length === VECTOR_DIMENSIONS && embedding.some((x) => x !== 0);
  }

  /** Without the cache: pgvector's index where it can answer, else every embedding read and ranked. */
  function searchDatabase(sessionId: string, embedding: number[], limit: number, model?: string, timelineTurn?: number): Promise<StoredMemory[]> {
    return pgvector && usableQuery(embedding) ? searchPgvector(pgvector, sessionId, embedding, limit, model, timelineTurn) : searchPortable(sessionId, embedding, limit, model, timelineTurn);
  }

  return {
    cacheStats: () => vectorCache?.stats() ?? null,

    async search(sessionId, embedding, limit, opts = {}) {
      if (limit <= 0 || embedding.length === 0) return [];
      const cached = await vectorCache?.search(sessionId, embedding, limit, { model: opts.model, timelineTurn: opts.timelineTurn });
      return cached ?? searchDatabase(sessionId, embedding, limit, opts.model, opts.timelineTurn);
    },

    async candidates(sessionId, embedding, opts) {
      const filter = { model: opts.model, timelineTurn: opts.timelineTurn };
      const cached = await vectorCache?.candidates(sessionId, embedding, Math.max(0, opts.limit), filter, opts.asOf);
      const [similar, pinned] = cached ? [cached.similar, cached.pinned] : await Promise.all([
        embedding.length > 0 && opts.limit > 0 ? searchDatabase(sessionId, embedding, opts.limit, opts.model, opts.timelineTurn) : Promise.resolve([]),
        pinnedWithSimilarity(sessionId, embedding, opts.model, opts.timelineTurn),
      ]);
      const byId = new Map<string, MemoryCandidate>();
      for (const m of similar) {
        const { score, ...rest } = m;
        byId.set(m.id, { ...rest, similarity: score ?? null });
      }
      for (const p of pinned) if (!byId.has(p.id)) byId.set(p.id, p);
      return [...byId.values()];
    },

    async list(sessionId, opts = {}) {
      const where = and(eq(memories.sessionId, sessionId), opts.kind ? eq(memories.kind, opts.kind) : undefined, onTimelineSql(opts.timelineTurn));
      if (opts.limit !== undefined) {
        const newest = await db
          .select(memoryFields)
          .from(memories)
          .where(where)
          .orderBy(desc(memories.turnNo), desc(memories.createdAt), sql`${memories.id} COLLATE "C" DESC`)
          .limit(opts.limit);
        return newest.reverse();
      }
      return db.select(memoryFields).from(memories).where(where).orderBy(asc(memories.turnNo), asc(memories.createdAt), sql`${memories.id} COLLATE "C"`);
    },

    async get(sessionId, id) {
      const [row] = await db
        .select(memoryFields)
        .from(memories)
        .where(and(eq(memories.sessionId, sessionId), eq(memories.id, id)))
        .limit(1);
      return row ?? null;
    },

    async add(m: NewMemory) {
      if (m.ifTurnActive) return addIfTurnActive(m, m.ifTurnActive);
      const rows = await db
        .insert(memories)
        .values({
          id: randomUUID(),
          origin: m.origin ?? 'player',
          sessionId: m.sessionId,
          turnNo: m.turnNo,
          kind: m.kind,
          text: m.text,
          importance: Math.round(m.importance),
          embedding: m.embedding,
          embeddingModel: m.embeddingModel ?? null,
          pinned: m.pinned ?? false,
        })
        .onConflictDoNothing()
        .returning(memoryFields);
      return rows[0] ?? null;
    },

    async update(sessionId: string, id: string, patch: MemoryPatch) {
      // The database's clock, not ours: the portable search cache reads changes by updated_at.
      const set: Partial<Omit<typeof memories.$inferInsert, 'updatedAt'>> & { updatedAt: SQL } = { updatedAt: sql`now()` };
      if (patch.text !== undefined) set.text = patch.text;
      if (patch.importance !== undefined) set.importance = Math.round(patch.importance);
      if (patch.kind !== undefined) set.kind = patch.kind as MemoryKind;
      if (patch.pinned !== undefined) set.pinned = patch.pinned;
      if (patch.embedding !== undefined) set.embedding = patch.embedding;
      if (patch.embeddingModel !== undefined) set.embeddingModel = patch.embeddingModel;
      const [row] = await db
        .update(memories)
        .set(set)
        .where(and(eq(memories.sessionId, sessionId), eq(memories.id, id)))
        .returning(memoryFields);
      return row ?? null;
    },

    async remove(sessionId, id) {
      const rows = await db
        .delete(memories)
        .where(and(eq(memories.sessionId, sessionId), eq(memories.id, id)))
        .returning({ id: memories.id });
      return rows.length > 0;
    },

    async staleEmbeddings(model, limit) {
      return db
        .select({ id: memories.id, sessionId: memories.sessionId, text: memories.text })
        .from(memories)
        .where(sql`${memories.embeddingModel} IS DISTINCT FROM ${model}::text AND ${memories.embeddingModel} IS NOT NULL`)
        .orderBy(asc(memories.createdAt), sql`${memories.id} COLLATE "C"`)
        .limit(limit);
    },

    async setEmbeddings(rows, model) {
      if (rows.length === 0) return;
      await db.execute(sql`
        UPDATE memories AS m SET embedding = r.embedding, embedding_model = ${model}::text, updated_at = now()
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id text, embedding real[])
         WHERE m.id = r.id`);
    },
  };
}
