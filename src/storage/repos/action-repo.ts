import { and, asc, count, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { ActionStore, ArbitrationStore, PendingAction, PushOutcome } from '../../domain/ports/action-store.js';
import { sessionActions, sessionMembers, sessions } from '../schema/index.js';
import type { Db } from './query.js';

const ROW = {
  taskId: sessionActions.taskId,
  sessionId: sessionActions.sessionId,
  userId: sessionActions.userId,
  input: sessionActions.input,
  action: sessionActions.action,
  state: sessionActions.state,
  turnTaskId: sessionActions.turnTaskId,
  createdAt: sessionActions.createdAt,
  seq: sessionActions.seq,
  displayName: sessionMembers.displayName,
};

const waitingIn = (sessionId: string) => and(eq(sessionActions.sessionId, sessionId), eq(sessionActions.state, 'waiting'));

function withoutSeq(row: PendingAction & { seq: number }): PendingAction {
  const { seq: _seq, ...rest } = row;
  return rest;
}

/** Waiting actions and arbitration state of shared sessions (see ActionStore, ArbitrationStore). */
export function createActionRepo(db: Db): ActionStore & ArbitrationStore {
  const select = () =>
    db
      .select(ROW)
      .from(sessionActions)
      .leftJoin(sessionMembers, and(eq(sessionMembers.sessionId, sessionActions.sessionId), eq(sessionMembers.userId, sessionActions.userId)));

  async function positionOf(sessionId: string, seq: number, tx: Db = db): Promise<number> {
    const [row] = await tx.select({ n: count() }).from(sessionActions).where(and(waitingIn(sessionId), lt(sessionActions.seq, seq)));
    return Number(row?.n ?? 0) + 1;
  }

  /** Move the actions that still wait to `to`; the ids moved. */
  async function moveWaiting(taskIds: string[], to: { state: 'dispatched' | 'dropped'; turnTaskId?: string }): Promise<string[]> {
    if (taskIds.length === 0) return [];
    const rows = await db
      .update(sessionActions)
      .set(to)
      .where(and(inArray(sessionActions.taskId, taskIds), eq(sessionActions.state, 'waiting')))
      .returning({ taskId: sessionActions.taskId });
    return rows.map((r) => r.taskId);
  }

  return {
    push(action, { cap, onePerUser }) {
      return db.transaction(async (tx): Promise<PushOutcome> => {
        // The session's row lock serializes pushes: the cap holds and the sequence is the line's order.
        await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, action.sessionId)).for('update');
        const [earlier] = await tx.select({ state: sessionActions.state, seq: sessionActions.seq }).from(sessionActions).where(eq(sessionActions.taskId, action.taskId));
        if (earlier) return { kind: 'exists', state: earlier.state, position: earlier.state === 'waiting' ? await positionOf(action.sessionId, earlier.seq, tx as unknown as Db) : 0 };
        if (onePerUser) {
          await tx
            .update(sessionActions)
            .set({ state: 'dropped' })
            .where(and(waitingIn(action.sessionId), eq(sessionActions.userId, action.userId)));
        }
        const [waiting] = await tx.select({ n: count() }).from(sessionActions).where(waitingIn(action.sessionId));
        const ahead = Number(waiting?.n ?? 0);
        if (ahead >= cap) return { kind: 'full', limit: cap };
        await tx.insert(sessionActions).values(action);
        return { kind: 'added', position: ahead + 1 };
      });
    },

    async waiting(sessionId) {
      const rows = await select().where(waitingIn(sessionId)).orderBy(asc(sessionActions.seq));
      return rows.map(withoutSeq);
    },

    async get(taskId) {
      const [row] = await select().where(eq(sessionActions.taskId, taskId)).limit(1);
      if (!row) return null;
      return { ...withoutSeq(row), position: row.state === 'waiting' ? await positionOf(row.sessionId, row.seq) : null };
    },

    dispatch: (taskIds, turnTaskId) => moveWaiting(taskIds, { state: 'dispatched', turnTaskId }),

    drop: (taskIds) => moveWaiting(taskIds, { state: 'dropped' }),

    async setMode(sessionId, mode, round) {
      const rows = await db.update(sessions).set({ turnMode: mode, round, voteDeadline: null }).where(eq(sessions.id, sessionId)).returning({ id: sessions.id });
      return rows.length > 0;
    },

    async moveRound(sessionId, from, to) {
      const rows = await db
        .update(sessions)
        .set({ round: to })
        .where(
          and(
            eq(sessions.id, sessionId),
            from === null ? isNull(sessions.round) : and(sql`${sessions.round}->>'userId' = ${from.userId}`, sql`${sessions.round}->>'since' = ${from.since}`),
          ),
        )
        .returning({ id: sessions.id });
      return rows.length > 0;
    },

    async openVote(sessionId, deadline) {
      await db.update(sessions).set({ voteDeadline: deadline }).where(and(eq(sessions.id, sessionId), isNull(sessions.voteDeadline)));
      const [row] = await db.select({ deadline: sessions.voteDeadline }).from(sessions).where(eq(sessions.id, sessionId));
      return row?.deadline ?? null;
    },

    async closeVote(sessionId, deadline) {
      const rows = await db
        .update(sessions)
        .set({ voteDeadline: null })
        .where(and(eq(sessions.id, sessionId), eq(sessions.voteDeadline, deadline)))
        .returning({ id: sessions.id });
      return rows.length > 0;
    },
  };
}
