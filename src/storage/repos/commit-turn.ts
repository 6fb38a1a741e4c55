/**
 * The hot path: commit one turn in a single SQL statement (one round trip, atomic on its own).
 * Data-modifying CTEs chain the steps; each step only runs if the previous one produced a row:
 *   dup  – the turn already committed under this task id, if any;
 *   upd  – bump the session, only if no duplicate and the version is still the expected one;
 *   ins  – insert the turn row, only if the session was updated;
 *   mem  – insert the memories, likewise;
 *   disc – a new turn after an undo ends the redo stack: the undone turns become `discarded`
 *          (kept, no longer redoable);
 *   forget – and their turn memories are deleted (see the timeline rule on MemoryStore), as are
 *          those of the take a retry replaced at this turn number (kept until now in case the
 *          retry failed). The CTEs share one snapshot, so this never sees the memories `mem`
 *          inserts.
 * The final SELECT reports which case happened.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { DramaError } from '../../domain/errors.js';
import type { TurnCommit } from '../../domain/ports/store.js';
import type { TurnResult } from '../../domain/types.js';
import { turns } from '../schema/index.js';
import { pgErrorOf, queryRows, toDate, type Db } from './query.js';
import { createdAtOrNull, pickView, toTurnResult, type TurnResultRow } from './turn-mapping.js';

/** Columns of a duplicate turn, aliased to the Drizzle row's keys so to_jsonb feeds the mapper. */
const DUP_COLUMNS = sql.raw(
  `session_id AS "sessionId", turn_no AS "turnNo", task_id AS "taskId", input, action, response,
   decision, view, timings, usage, trace_id AS "traceId", state, created_at AS "createdAt"`,
);

interface CommitRow {
  dup: TurnResultRow | null;
  /** to_jsonb(created_at) of the inserted turn; null when nothing was written. */
  created_at: string | null;
  /** The session's version in the statement's snapshot; null when the session does not exist. */
  current_version: number | null;
}

function buildCommitSql(c: TurnCommit) {
  const r = c.result;
  const memories = c.memories.map((m) => ({
    id: randomUUID(),
    kind: m.kind,
    text: m.text,
    importance: Math.round(m.importance),
    embedding: m.embedding,
    embedding_model: m.embeddingModel ?? null,
  }));
  // Every parameter is cast: in INSERT … SELECT an untyped parameter would be resolved as text.
  return sql`
WITH dup AS (
  SELECT ${DUP_COLUMNS} FROM turns WHERE task_id = ${r.taskId}::text
), upd AS (
  UPDATE sessions
     SET ink_state = ${c.inkState}::text, view = ${JSON.stringify(c.view)}::jsonb, status = ${c.status}::text,
         turn_no = ${r.turnNo}::int, version = version + 1, updated_at = now()
   WHERE id = ${c.sessionId}::text AND version = ${c.expectedVersion}::int AND NOT EXISTS (SELECT 1 FROM dup)
  RETURNING id
), ins AS (
  INSERT INTO turns (session_id, turn_no, task_id, input, action, response, decision, view, ink_state, timings,
                     usage, tokens, cost_usd, trace, trace_id, created_at)
  SELECT upd.id, ${r.turnNo}::int, ${r.taskId}::text, ${r.input}::text, ${r.action}::text, ${r.response}::text,
         ${JSON.stringify(r.decision)}::jsonb, ${JSON.stringify(pickView(r.updated_state))}::jsonb,
         ${c.inkState}::text, ${JSON.stringify(r.timings)}::jsonb,
         ${r.usage ? JSON.stringify(r.usage) : null}::jsonb, ${(r.usage?.inputTokens ?? 0) + (r.usage?.outputTokens ?? 0)}::int,
         ${r.usage?.costUsd ?? 0}::float8, ${c.trace === undefined ? null : JSON.stringify(c.trace)}::jsonb,
         ${r.traceId ?? null}::text, coalesce(${createdAtOrNull(r.createdAt)}::timestamptz, now())
    FROM upd
  RETURNING created_at
), mem AS (
  INSERT INTO memories (id, session_id, turn_no, kind, text, importance, embedding, embedding_model, origin)
  SELECT m.id, upd.id, ${r.turnNo}::int, m.kind, m."text", m.importance, m.embedding, m.embedding_model, 'turn'
    FROM upd, jsonb_to_recordset(${JSON.stringify(memories)}::jsonb)
      AS m(id text, kind text, "text" text, importance int, embedding real[], embedding_model text)
), disc AS (
  -- Undone turns all lie past the session's turn, so the range keeps this an index probe.
  UPDATE turns SET state = 'discarded'
    FROM upd
   WHERE turns.session_id = upd.id AND turns.turn_no >= ${r.turnNo}::int AND turns.state = 'undone'
  RETURNING turns.turn_no
), forget AS (
  DELETE FROM memories
   WHERE session_id = ${c.sessionId}::text AND turn_no >= ${r.turnNo}::int AND origin = 'turn'
     AND EXISTS (SELECT 1 FROM upd)
     AND (EXISTS (SELECT 1 FROM disc)
          OR EXISTS (SELECT 1 FROM turns WHERE session_id = ${c.sessionId}::text AND turn_no = ${r.turnNo}::int AND state = 'replaced'))
)
SELECT (SELECT to_jsonb(d) FROM dup d) AS dup,
       (SELECT to_jsonb(created_at) FROM ins) AS created_at,
       (SELECT version FROM sessions WHERE id = ${c.sessionId}::text) AS current_version`;
}

/**
 * Commit a turn exactly once (see TurnStore.commitTurn). One statement on the happy path and on
 * a duplicate; the conflict path adds one read to tell a late duplicate from a real conflict.
 */
export async function commitTurn(db: Db, c: TurnCommit): Promise<{ result: TurnResult; duplicate: boolean }> {
  let row: CommitRow | undefined;
  try {
    [row] = await queryRows<CommitRow>(db, buildCommitSql(c));
  } catch (err) {
    const pg = pgErrorOf(err);
    if (pg?.code !== '23505') throw err;
    // Another worker committed the same task id concurrently (our snapshot did not see it yet).
    if (pg.constraint === 'turns_task_id_uq' && c.result.taskId) {
      const existing = await readByTask(db, c.result.taskId);
      if (existing) return { result: existing, duplicate: true };
    }
    throw conflict(c, null, err);
  }
  if (!row) throw new Error('commit statement returned no row');
  if (row.dup) return { result: toTurnResult(row.dup), duplicate: true };
  if (row.created_at !== null) {
    const result: TurnResult = { ...c.result, sessionId: c.sessionId, taskId: c.result.taskId ?? null };
    return { result: { ...result, createdAt: toDate(row.created_at).toISOString() }, duplicate: false };
  }
  if (row.current_version === null) {
    throw new DramaError('session_not_found', `session ${c.sessionId} does not exist`);
  }
  // The version moved. If that was a concurrent commit of this very task, it is a duplicate:
  // re-read in a fresh snapshot, since ours was taken before that commit became visible.
  if (c.result.taskId) {
    const existing = await readByTask(db, c.result.taskId);
    if (existing) return { result: existing, duplicate: true };
  }
  throw conflict(c, row.current_version);
}

/** The turn committed under `taskId`, read in a fresh snapshot. */
export async function readByTask(db: Db, taskId: string): Promise<TurnResult | null> {
  const [row] = await db.select().from(turns).where(eq(turns.taskId, taskId)).limit(1);
  return row ? toTurnResult(row) : null;
}

function conflict(c: TurnCommit, actualVersion: number | null, cause?: unknown): DramaError {
  return new DramaError(
    'turn_conflict',
    `session ${c.sessionId} moved past version ${c.expectedVersion} while turn ${c.result.turnNo} was computed`,
    { retryable: true, details: { expectedVersion: c.expectedVersion, actualVersion }, cause },
  );
}
