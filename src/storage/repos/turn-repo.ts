import { and, asc, desc, eq, gt, gte, lt, lte, sql } from 'drizzle-orm';
import type { TurnStore } from '../../domain/ports/turn-store.js';
import type { HistoryEntry, TurnResult } from '../../domain/types.js';
import type { TurnRecording } from '../../domain/turn-recording.js';
import { sessions, turns } from '../schema/index.js';
import { commitTurn, readByTask } from './commit-turn.js';
import { loadTurn } from './load-turn.js';
import { unpackJson, type BlobPacking } from './packed-json.js';
import type { Db } from './query.js';
import type { RawQuery } from './statement.js';
import { toHistoryEntry, toTurnResult } from './turn-mapping.js';

/** What a TurnResult needs; the ink state and the trace are left out of listings (they can be large). */
const RESULT_COLUMNS = {
  sessionId: turns.sessionId,
  turnNo: turns.turnNo,
  taskId: turns.taskId,
  input: turns.input,
  action: turns.action,
  actorId: turns.actorId,
  response: turns.response,
  originalResponse: turns.originalResponse,
  decision: turns.decision,
  view: turns.view,
  timings: turns.timings,
  usage: turns.usage,
  traceId: turns.traceId,
  state: turns.state,
  createdAt: turns.createdAt,
};

/** The session's timeline: its active turns (see TurnState). */
function active(sessionId: string) {
  return and(eq(turns.sessionId, sessionId), eq(turns.state, 'active'));
}

/** Committed turns of sessions. */
export function createTurnRepo(db: Db, query: RawQuery, blobPacking: BlobPacking): TurnStore {
  return {
    loadTurn(sessionId, taskId, historyTurns, actorId) {
      return loadTurn(query, sessionId, taskId, historyTurns, actorId);
    },

    async recentTurns(sessionId: string, limit: number): Promise<HistoryEntry[]> {
      if (limit <= 0) return [];
      const rows = await db
        .select({
          turnNo: turns.turnNo,
          input: turns.input,
          action: turns.action,
          response: turns.response,
          view: turns.view,
        })
        .from(turns)
        .where(active(sessionId))
        .orderBy(desc(turns.turnNo))
        .limit(limit);
      // Newest were needed to pick the window; the narrator reads history oldest first.
      return rows.reverse().map(toHistoryEntry);
    },

    async getTurn(sessionId: string, turnNo: number): Promise<TurnResult | null> {
      const [row] = await db
        .select(RESULT_COLUMNS)
        .from(turns)
        .where(and(active(sessionId), eq(turns.turnNo, turnNo)))
        .limit(1);
      return row ? toTurnResult(row) : null;
    },

    getTurnByTask(taskId: string): Promise<TurnResult | null> {
      return readByTask(db, taskId);
    },

    async listTurns(sessionId, page) {
      if (page.limit <= 0) return [];
      const after = page.afterTurnNo === undefined ? undefined : gt(turns.turnNo, page.afterTurnNo);
      if (page.include !== 'all') {
        const rows = await db.select(RESULT_COLUMNS).from(turns).where(and(active(sessionId), after)).orderBy(asc(turns.turnNo)).limit(page.limit);
        return rows.map(toTurnResult);
      }
      // The page ends at the limit-th turn number, so no turn number is split across pages.
      const pageEnd = sql`(SELECT max(turn_no) FROM (
          SELECT DISTINCT turn_no FROM turns
           WHERE session_id = ${sessionId}::text AND turn_no > ${page.afterTurnNo ?? -1}::int
           ORDER BY turn_no LIMIT ${page.limit}::int) AS page)`;
      const rows = await db
        .select(RESULT_COLUMNS)
        .from(turns)
        .where(and(eq(turns.sessionId, sessionId), after, sql`${turns.turnNo} <= ${pageEnd}`))
        .orderBy(asc(turns.turnNo), asc(turns.createdAt), asc(turns.id));
      return rows.map(toTurnResult);
    },

    commitTurn(commit) {
      return commitTurn(db, query, commit, blobPacking);
    },

    async editResponse(sessionId, turnNo, response) {
      const [row] = await db
        .update(turns)
        // The first edit keeps what the model wrote; later edits keep that same original.
        .set({ originalResponse: sql`coalesce(${turns.originalResponse}, ${turns.response})`, response })
        .where(and(active(sessionId), eq(turns.turnNo, turnNo)))
        .returning(RESULT_COLUMNS);
      return row ? toTurnResult(row) : null;
    },

    async getTrace(sessionId: string, turnNo: number): Promise<unknown | null> {
      const [row] = await db
        .select({ packed: turns.traceGz, trace: turns.trace })
        .from(turns)
        .where(and(active(sessionId), eq(turns.turnNo, turnNo)))
        .limit(1);
      if (!row) return null;
      return row.packed ? unpackJson(row.packed) : (row.trace ?? null);
    },

    async recordings(sessionId, range) {
      const rows = await db
        .select({ turnNo: turns.turnNo, recording: turns.recording })
        .from(turns)
        .where(and(active(sessionId), gt(turns.turnNo, 0), range.from !== undefined ? gte(turns.turnNo, range.from) : undefined, range.to !== undefined ? lte(turns.turnNo, range.to) : undefined))
        .orderBy(asc(turns.turnNo));
      return rows.map((r) => ({ turnNo: r.turnNo, recording: r.recording ? unpackJson<TurnRecording>(r.recording) : null }));
    },

    async forgetRecordings(before) {
      const rows = await db
        .update(turns)
        .set({ recording: null, traceGz: null, trace: null })
        .where(and(lt(turns.createdAt, before), sql`(${turns.recording} IS NOT NULL OR ${turns.traceGz} IS NOT NULL OR ${turns.trace} IS NOT NULL)`))
        .returning({ id: turns.id });
      return rows.length;
    },

    async usageTotals(filter) {
      const totals = {
        turns: sql<number>`count(*)::int`,
        tokens: sql<number>`coalesce(sum(${turns.tokens}), 0)::int`,
        byokTokens: sql<number>`coalesce(sum((${turns.usage}->>'byokTokens')::int), 0)::int`,
        costUsd: sql<number>`coalesce(sum(${turns.costUsd}), 0)::float8`,
      };
      // Turn 0 (the opening) calls no model and counts as nothing.
      const played = gt(turns.turnNo, 0);
      const [row] =
        'sessionId' in filter
          ? await db.select(totals).from(turns).where(and(played, eq(turns.sessionId, filter.sessionId)))
          : await db
              .select(totals)
              .from(turns)
              .innerJoin(sessions, eq(sessions.id, turns.sessionId))
              .where(and(played, eq(sessions.ownerId, filter.ownerId), filter.since ? gte(turns.createdAt, filter.since) : undefined));
      return { turns: Number(row?.turns ?? 0), tokens: Number(row?.tokens ?? 0), byokTokens: Number(row?.byokTokens ?? 0), costUsd: Number(row?.costUsd ?? 0) };
    },
  };
}
