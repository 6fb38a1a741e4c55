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
import { eq } from 'drizzle-orm';
import { DramaError } from '../../domain/errors.js';
import type { CommitOutcome, TurnCommit } from '../../domain/ports/turn-store.js';
import type { TurnResult, TurnTimings } from '../../domain/types.js';
import { turns } from '../schema/index.js';
import { packJson, rawJsonBytea, type BlobPacking } from './packed-json.js';
import { TURN_RESULT_JSON_COLUMNS } from './load-turn.js';
import { pgErrorOf, toDate, type Db } from './query.js';
import type { RawQuery, Statement } from './statement.js';
import { createdAtOrNull, pickView, toTurnResult, type TurnResultRow } from './turn-mapping.js';

interface CommitRow {
  dup: TurnResultRow | null;
  /**
   * created_at and the final timings of the inserted turn, the statement's `now()` (the session's
   * new updated_at) and how many undone turns it discarded and memories it forgot; null when
   * nothing was written.
   */
  ins: { created_at: string; timings: TurnTimings; now: string; discarded: number; forgotten: number } | null;
  /** The session's version in the statement's snapshot; null when the session does not exist. */
  current_version: number | null;
}

// The database's own time for this statement so far, in ms with two decimals: the row's
// `timings.commit` (and `total` grows by it), so the stored turn needs no second write.
const COMMIT_MS = `round((extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::numeric, 2)`;

// Every parameter is cast: in INSERT … SELECT an untyped parameter would be resolved as text.
// $1 task, $2 session, $3 expected version, $4 turn no, $5 ink state, $6 session view, $7 status,
// $8 input, $9 action, $10 response, $11 decision, $12 turn view, $13 timings, $14 usage,
// $15 tokens, $16 cost, $17 trace, $18 trace id, $19 created at, $20 memories, $21 actor,
// $22 recording. The trace and the recording are JSON: compressed here (`brotli` packing) or as
// text the server tags and compresses (`lz4`; see packed-json.ts).
const blob = (n: number, packing: BlobPacking) => (packing === 'lz4' ? rawJsonBytea(n) : `$${n}::bytea`);

const commitText = (packing: BlobPacking) => `
WITH dup AS (
  SELECT ${TURN_RESULT_JSON_COLUMNS} FROM turns WHERE task_id = $1::text
), upd AS (
  UPDATE sessions
     SET ink_state = $5::text, view = $6::jsonb, status = $7::text, turn_no = $4::int, version = version + 1, updated_at = now()
   WHERE id = $2::text AND version = $3::int AND NOT EXISTS (SELECT 1 FROM dup)
  RETURNING id
), ins AS (
  INSERT INTO turns (session_id, turn_no, task_id, input, action, response, decision, view, ink_state, timings,
                     usage, tokens, cost_usd, trace_gz, trace_id, created_at, actor_id, recording)
  SELECT upd.id, $4::int, $1::text, $8::text, $9::text, $10::text, $11::jsonb, $12::jsonb, $5::text,
         $13::jsonb || jsonb_build_object('commit', c.ms, 'total', ($13::jsonb->>'total')::numeric + c.ms),
         $14::jsonb, $15::int, $16::float8, ${blob(17, packing)}, $18::text, coalesce($19::timestamptz, now()), $21::text, ${blob(22, packing)}
    FROM upd, (SELECT ${COMMIT_MS} AS ms) AS c
  RETURNING created_at, timings
), mem AS (
  INSERT INTO memories (id, session_id, turn_no, kind, text, importance, embedding, embedding_model, origin)
  SELECT m.id, upd.id, $4::int, m.kind, m."text", m.importance, m.embedding, m.embedding_model, 'turn'
    FROM upd, jsonb_to_recordset($20::jsonb)
      AS m(id text, kind text, "text" text, importance int, embedding real[], embedding_model text)
), disc AS (
  -- Undone turns all lie past the session's turn, so the range keeps this an index probe.
  UPDATE turns SET state = 'discarded'
    FROM upd
   WHERE turns.session_id = upd.id AND turns.turn_no >= $4::int AND turns.state = 'undone'
  RETURNING turns.turn_no
), forget AS (
  DELETE FROM memories
   WHERE session_id = $2::text AND turn_no >= $4::int AND origin = 'turn'
     AND EXISTS (SELECT 1 FROM upd)
     AND (EXISTS (SELECT 1 FROM disc)
          OR EXISTS (SELECT 1 FROM turns WHERE session_id = $2::text AND turn_no = $4::int AND state = 'replaced'))
  RETURNING 1
)
SELECT (SELECT to_jsonb(d) FROM dup d) AS dup,
       (SELECT jsonb_build_object('created_at', created_at, 'timings', timings, 'now', now(),
                                  'discarded', (SELECT count(*) FROM disc), 'forgotten', (SELECT count(*) FROM forget)) FROM ins) AS ins,
       (SELECT version FROM sessions WHERE id = $2::text) AS current_version`;

const COMMIT_TURN: Record<BlobPacking, Statement> = {
  brotli: { name: 'md_commit_turn_v6', text: commitText('brotli') },
  lz4: { name: 'md_commit_turn_v6_lz4', text: commitText('lz4') },
};

/** The trace's or recording's parameter: compressed bytes, or the JSON text the server compresses. */
function blobValue(value: unknown, packing: BlobPacking): Buffer | string | Promise<Buffer> {
  return packing === 'lz4' ? JSON.stringify(value) : packJson(value);
}

async function commitValues(c: TurnCommit, packing: BlobPacking): Promise<unknown[]> {
  const r = c.result;
  // With `brotli` both compress on the thread pool, side by side.
  const [trace, recording] = await Promise.all([c.trace === undefined ? null : blobValue(c.trace, packing), c.recording ? blobValue(c.recording, packing) : null]);
  const memories = c.memories.map((m) => ({
    id: randomUUID(),
    kind: m.kind,
    text: m.text,
    importance: Math.round(m.importance),
    embedding: m.embedding,
    embedding_model: m.embeddingModel ?? null,
  }));
  return [
    r.taskId,
    c.sessionId,
    c.expectedVersion,
    r.turnNo,
    c.inkState,
    JSON.stringify(c.view),
    c.status,
    r.input,
    r.action,
    r.response,
    JSON.stringify(r.decision),
    JSON.stringify(pickView(r.updated_state)),
    JSON.stringify(r.timings),
    r.usage ? JSON.stringify(r.usage) : null,
    (r.usage?.inputTokens ?? 0) + (r.usage?.outputTokens ?? 0),
    r.usage?.costUsd ?? 0,
    trace,
    r.traceId ?? null,
    createdAtOrNull(r.createdAt),
    JSON.stringify(memories),
    r.actorId ?? null,
    recording,
  ];
}

/**
 * Commit a turn exactly once (see TurnStore.commitTurn). One statement on the happy path and on
 * a duplicate; the conflict path adds one read to tell a late duplicate from a real conflict.
 */
export async function commitTurn(db: Db, query: RawQuery, c: TurnCommit, packing: BlobPacking): Promise<CommitOutcome> {
  let row: CommitRow | undefined;
  try {
    [row] = await query<CommitRow>(COMMIT_TURN[packing], await commitValues(c, packing));
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
  if (row.ins !== null) {
    const result: TurnResult = { ...c.result, sessionId: c.sessionId, taskId: c.result.taskId ?? null, timings: row.ins.timings };
    const effects = { sessionUpdatedAt: toDate(row.ins.now), discardedTurns: Number(row.ins.discarded), forgottenMemories: Number(row.ins.forgotten) };
    return { result: { ...result, createdAt: toDate(row.ins.created_at).toISOString() }, duplicate: false, effects };
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
