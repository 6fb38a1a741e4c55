import { asc, eq, sql } from 'drizzle-orm';
import type { MemoryStore } from '../../domain/ports/store.js';
import type { StoredMemory } from '../../domain/types.js';
import { memories } from '../schema/index.js';
import { rankByCosine, toVectorLiteral, VECTOR_DIMENSIONS } from './cosine.js';
import { queryRows, quoteIdent, type Db } from './query.js';

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
};

interface MemoryRow {
  id: string;
  session_id: string;
  turn_no: number;
  kind: StoredMemory['kind'];
  text: string;
  importance: number;
}
type VectorHitRow = MemoryRow & { distance: number };
type PortableRow = MemoryRow & { embedding: string };

function toMemory(r: MemoryRow): StoredMemory {
  return { id: r.id, sessionId: r.session_id, turnNo: r.turn_no, kind: r.kind, text: r.text, importance: r.importance };
}

/**
 * Session memories and their similarity search. With pgvector the database ranks them
 * (`embedding_vec <=> query`, HNSW-indexed); without it the session's embeddings are read and
 * ranked exactly in JS. Both order ties by newer turn, then id, so they return the same list.
 */
export function createMemoryRepo(db: Db, pgvector: PgvectorInfo | null): MemoryStore {
  async function searchPortable(sessionId: string, embedding: number[], limit: number): Promise<StoredMemory[]> {
    // Embeddings travel as JSON text: node-postgres' real[] parser made this ~3x slower
    // (400 × 256 floats: 37 ms vs 12 ms). Other sizes are filtered out here already.
    const rows = await queryRows<PortableRow>(
      db,
      sql`SELECT id, session_id, turn_no, kind, text, importance, array_to_json(embedding)::text AS embedding
            FROM memories
           WHERE session_id = ${sessionId}::text AND cardinality(embedding) = ${embedding.length}::int`,
    );
    const candidates = rows.map((r) => ({ ...toMemory(r), embedding: JSON.parse(r.embedding) as number[] }));
    return rankByCosine(embedding, candidates, limit).map(({ embedding: _e, ...m }) => m);
  }

  async function searchPgvector(ext: PgvectorInfo, sessionId: string, embedding: number[], limit: number): Promise<StoredMemory[]> {
    const vec = sql.raw(`${quoteIdent(ext.schema)}.vector`);
    const op = sql.raw(`OPERATOR(${quoteIdent(ext.schema)}.<=>)`);
    // embedding_vec is null for zero or wrongly sized embeddings: the JS path skips those too.
    const rows = await queryRows<VectorHitRow>(
      db,
      sql`SELECT id, session_id, turn_no, kind, text, importance, embedding_vec ${op} ${toVectorLiteral(embedding)}::${vec} AS distance
            FROM memories
           WHERE session_id = ${sessionId}::text AND embedding_vec IS NOT NULL
           ORDER BY distance, turn_no DESC, id COLLATE "C"
           LIMIT ${limit}::int`,
    );
    return rows.map((r) => ({ ...toMemory(r), score: 1 - Number(r.distance) }));
  }

  return {
    async search(sessionId: string, embedding: number[], limit: number): Promise<StoredMemory[]> {
      if (limit <= 0 || embedding.length === 0) return [];
      // The vector column has a fixed size, and a zero query has no direction (pgvector: NaN).
      const usable = embedding.length === VECTOR_DIMENSIONS && embedding.some((x) => x !== 0);
      if (pgvector && usable) return searchPgvector(pgvector, sessionId, embedding, limit);
      return searchPortable(sessionId, embedding, limit);
    },

    async list(sessionId: string): Promise<StoredMemory[]> {
      return db
        .select(memoryFields)
        .from(memories)
        .where(eq(memories.sessionId, sessionId))
        .orderBy(asc(memories.turnNo), asc(memories.createdAt), sql`${memories.id} COLLATE "C"`);
    },
  };
}
