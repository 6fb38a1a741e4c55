import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { TurnStore } from '../../domain/ports/store.js';
import type { HistoryEntry, TurnResult, TurnTimings } from '../../domain/types.js';
import { turns } from '../schema/index.js';
import { commitTurn, readByTask } from './commit-turn.js';
import type { Db } from './query.js';
import { toHistoryEntry, toTurnResult } from './turn-mapping.js';

/** Committed turns of sessions. */
export function createTurnRepo(db: Db): TurnStore {
  return {
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
        .where(eq(turns.sessionId, sessionId))
        .orderBy(desc(turns.turnNo))
        .limit(limit);
      // Newest were needed to pick the window; the narrator reads history oldest first.
      return rows.reverse().map(toHistoryEntry);
    },

    async getTurn(sessionId: string, turnNo: number): Promise<TurnResult | null> {
      const [row] = await db
        .select()
        .from(turns)
        .where(and(eq(turns.sessionId, sessionId), eq(turns.turnNo, turnNo)))
        .limit(1);
      return row ? toTurnResult(row) : null;
    },

    getTurnByTask(taskId: string): Promise<TurnResult | null> {
      return readByTask(db, taskId);
    },

    async listTurns(sessionId: string, page: { afterTurnNo?: number; limit: number }): Promise<TurnResult[]> {
      if (page.limit <= 0) return [];
      const where =
        page.afterTurnNo === undefined
          ? eq(turns.sessionId, sessionId)
          : and(eq(turns.sessionId, sessionId), gt(turns.turnNo, page.afterTurnNo));
      const rows = await db.select().from(turns).where(where).orderBy(asc(turns.turnNo)).limit(page.limit);
      return rows.map(toTurnResult);
    },

    commitTurn(commit) {
      return commitTurn(db, commit);
    },

    async recordTimings(sessionId: string, turnNo: number, timings: TurnTimings): Promise<void> {
      await db
        .update(turns)
        .set({ timings })
        .where(and(eq(turns.sessionId, sessionId), eq(turns.turnNo, turnNo)));
    },
  };
}
