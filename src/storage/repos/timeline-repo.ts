/**
 * Undo, redo, the retry rewind and fork (see TimelineStore). Each runs in one transaction that
 * first locks the session row: moves serialize with each other, and a turn commit that arrives
 * meanwhile waits, then finds the version bumped and fails its optimistic check.
 * @module
 */
import { and, desc, eq, gt, lte, or, sql } from 'drizzle-orm';
import { DramaError } from '../../domain/errors.js';
import type { ForkInput, TimelineStore } from '../../domain/ports/timeline-store.js';
import type { SessionRecord, StoryView, TurnState } from '../../domain/types.js';
import { sessions, turns } from '../schema/index.js';
import type { TurnRow } from '../schema/types.js';
import type { Db } from './query.js';
import { readSession } from './session-repo.js';
import { toTurnResult } from './turn-mapping.js';

async function lockSession(tx: Db, sessionId: string, mode: 'update' | 'share' = 'update') {
  const [row] = await tx.select().from(sessions).where(eq(sessions.id, sessionId)).for(mode);
  if (!row) throw new DramaError('session_not_found', `Session ${sessionId} not found`);
  return row;
}

async function turnAt(tx: Db, sessionId: string, turnNo: number, state: TurnState): Promise<TurnRow | undefined> {
  const [row] = await tx
    .select()
    .from(turns)
    .where(and(eq(turns.sessionId, sessionId), eq(turns.turnNo, turnNo), eq(turns.state, state)))
    .limit(1);
  return row;
}

/** The active turn the session rests on; its absence means the timeline is broken, not a user error. */
async function activeTurnAt(tx: Db, sessionId: string, turnNo: number): Promise<TurnRow> {
  const row = await turnAt(tx, sessionId, turnNo, 'active');
  if (!row) throw new DramaError('internal', `session ${sessionId} has no active turn ${turnNo}`);
  return row;
}

/**
 * What the player saw after `turn`. A turn stores its result's view, and a turn that took no
 * choice shows no new passage there (empty text and tags), while the session kept showing the
 * last passage: take that from the latest turn up to this one that took a choice (or the opening).
 */
async function viewAfter(tx: Db, sessionId: string, turn: TurnRow): Promise<StoryView> {
  if (turn.turnNo === 0 || turn.decision.choiceIndex !== null) return turn.view;
  const [shown] = await tx
    .select({ view: turns.view })
    .from(turns)
    .where(
      and(
        eq(turns.sessionId, sessionId),
        eq(turns.state, 'active'),
        lte(turns.turnNo, turn.turnNo),
        or(eq(turns.turnNo, 0), sql`${turns.decision}->>'choiceIndex' IS NOT NULL`),
      ),
    )
    .orderBy(desc(turns.turnNo))
    .limit(1);
  return shown ? { ...turn.view, text: shown.view.text, tags: shown.view.tags } : turn.view;
}

async function setState(tx: Db, turnId: number, state: TurnState): Promise<void> {
  await tx.update(turns).set({ state }).where(eq(turns.id, turnId));
}

/** Put the session on `turn`: its stored ink state, what the player saw after it, a new version. */
async function moveSessionTo(tx: Db, sessionId: string, turn: TurnRow): Promise<SessionRecord> {
  const view = await viewAfter(tx, sessionId, turn);
  await tx
    .update(sessions)
    .set({
      inkState: turn.inkState,
      view,
      turnNo: turn.turnNo,
      status: view.ended ? 'ended' : 'active',
      version: sql`${sessions.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(sessions.id, sessionId));
  const session = await readSession(tx, sessionId);
  if (!session) throw new DramaError('session_not_found', `Session ${sessionId} not found`);
  return session;
}

/**
 * The undone turns after `turnNo` can no longer be redone (discarded), and their turn memories are
 * deleted. The memories of `turnNo` itself are left to the caller.
 */
async function discardAfter(tx: Db, sessionId: string, turnNo: number): Promise<void> {
  const discarded = await tx
    .update(turns)
    .set({ state: 'discarded' })
    .where(and(eq(turns.sessionId, sessionId), gt(turns.turnNo, turnNo), eq(turns.state, 'undone')))
    .returning({ id: turns.id });
  if (discarded.length === 0) return;
  await tx.execute(sql`DELETE FROM memories
    WHERE session_id = ${sessionId}::text AND turn_no > ${turnNo}::int AND origin = 'turn'`);
}

/** Copy the source's timeline up to `atTurn` into the new session: turns, memories, own cards. */
async function copyTimeline(tx: Db, f: ForkInput): Promise<void> {
  // Copies carry no task id (idempotency keys stay unique) and no tokens or cost (nothing was
  // spent again); their usage record still shows what the original turn cost.
  await tx.execute(sql`
    INSERT INTO turns (session_id, turn_no, task_id, input, action, response, decision, view, ink_state, timings,
                       usage, tokens, cost_usd, trace_gz, trace, trace_id, state, created_at)
    SELECT ${f.newId}::text, turn_no, NULL, input, action, response, decision, view, ink_state, timings,
           usage, 0, 0, trace_gz, trace, trace_id, 'active', created_at
      FROM turns WHERE session_id = ${f.sourceId}::text AND state = 'active' AND turn_no <= ${f.atTurn}::int`);
  // Copies keep their origin, so copied turn memories follow the fork's timeline.
  await tx.execute(sql`
    INSERT INTO memories (id, session_id, turn_no, kind, text, importance, embedding, embedding_model, pinned, origin, created_at)
    SELECT gen_random_uuid()::text, ${f.newId}::text, turn_no, kind, text, importance, embedding, embedding_model, pinned, origin, created_at
      FROM memories WHERE session_id = ${f.sourceId}::text AND turn_no <= ${f.atTurn}::int`);
  await tx.execute(sql`
    INSERT INTO cards (id, story_id, session_id, name, keywords, text, embedding, embedding_model, created_at, updated_at)
    SELECT gen_random_uuid()::text, NULL, ${f.newId}::text, name, keywords, text, embedding, embedding_model, created_at, updated_at
      FROM cards WHERE session_id = ${f.sourceId}::text`);
}

/** Moves along sessions' timelines, each in its own transaction. */
export function createTimelineRepo(db: Db): TimelineStore {
  const inTransaction = <T>(work: (tx: Db) => Promise<T>): Promise<T> => db.transaction((tx) => work(tx as unknown as Db));
  return {
    undo: (sessionId) =>
      inTransaction(async (tx) => {
        const session = await lockSession(tx, sessionId);
        if (session.turnNo === 0) throw new DramaError('nothing_to_undo', 'Nothing to undo: the session is at its opening');
        if (session.turnNo <= (session.upgradedAtTurn ?? -1)) throw new DramaError('nothing_to_undo', `Nothing to undo: the session moved to another version of the story at turn ${session.turnNo}`);
        const last = await activeTurnAt(tx, sessionId, session.turnNo);
        const previous = await activeTurnAt(tx, sessionId, session.turnNo - 1);
        await setState(tx, last.id, 'undone');
        return moveSessionTo(tx, sessionId, previous);
      }),

    redo: (sessionId) =>
      inTransaction(async (tx) => {
        const session = await lockSession(tx, sessionId);
        const next = await turnAt(tx, sessionId, session.turnNo + 1, 'undone');
        if (!next) throw new DramaError('nothing_to_redo', 'Nothing to redo');
        await setState(tx, next.id, 'active');
        return moveSessionTo(tx, sessionId, next);
      }),

    replaceLast: (sessionId) =>
      inTransaction(async (tx) => {
        const session = await lockSession(tx, sessionId);
        if (session.turnNo === 0) throw new DramaError('nothing_to_retry', 'Nothing to retry: the opening is not played by the models');
        if (session.turnNo <= (session.upgradedAtTurn ?? -1)) throw new DramaError('nothing_to_retry', `Nothing to retry: turn ${session.turnNo} was played on another version of the story`);
        const last = await activeTurnAt(tx, sessionId, session.turnNo);
        const previous = await activeTurnAt(tx, sessionId, session.turnNo - 1);
        await setState(tx, last.id, 'replaced');
        await discardAfter(tx, sessionId, session.turnNo);
        return { session: await moveSessionTo(tx, sessionId, previous), replaced: toTurnResult({ ...last, state: 'replaced' }) };
      }),

    restoreReplaced: (sessionId, turnNo) =>
      inTransaction(async (tx) => {
        const session = await lockSession(tx, sessionId);
        if (session.turnNo !== turnNo - 1 || (await turnAt(tx, sessionId, turnNo, 'active'))) return null;
        // The newest take replaced: each retry replaces the take committed after the one before.
        const [replaced] = await tx
          .select()
          .from(turns)
          .where(and(eq(turns.sessionId, sessionId), eq(turns.turnNo, turnNo), eq(turns.state, 'replaced')))
          .orderBy(desc(turns.id))
          .limit(1);
        if (!replaced) return null;
        await setState(tx, replaced.id, 'active');
        return moveSessionTo(tx, sessionId, replaced);
      }),

    upgrade: (u) =>
      inTransaction(async (tx) => {
        const session = await lockSession(tx, u.sessionId);
        if (session.version !== u.expectedVersion) throw new DramaError('turn_conflict', 'The session moved on while it was being upgraded; try again');
        // The turn it rests on now holds the carried state, so the timeline starts there.
        await tx
          .update(turns)
          .set({ inkState: u.inkState, view: u.view })
          .where(and(eq(turns.sessionId, u.sessionId), eq(turns.turnNo, session.turnNo), eq(turns.state, 'active')));
        // Undone turns were played on the old version: they can no longer be redone.
        await discardAfter(tx, u.sessionId, session.turnNo);
        await tx
          .update(sessions)
          .set({ storyVersion: u.storyVersion, inkState: u.inkState, view: u.view, upgradedAtTurn: session.turnNo, version: sql`${sessions.version} + 1`, updatedAt: sql`now()` })
          .where(eq(sessions.id, u.sessionId));
        return (await readSession(tx, u.sessionId))!;
      }),

    fork: (f) =>
      inTransaction(async (tx) => {
        // Shared lock: the source cannot move while it is copied, and forks of it run side by side.
        const source = await lockSession(tx, f.sourceId, 'share');
        if (f.atTurn < 0 || f.atTurn > source.turnNo) return null;
        if (f.atTurn < (source.upgradedAtTurn ?? 0)) {
          throw new DramaError('upgrade_incompatible', `Turn ${f.atTurn} was played on an earlier version of the story; fork from turn ${source.upgradedAtTurn} or later`);
        }
        const at = await activeTurnAt(tx, f.sourceId, f.atTurn);
        const view = await viewAfter(tx, f.sourceId, at);
        await tx.insert(sessions).values({
          id: f.newId,
          ownerId: f.ownerId,
          storyId: source.storyId,
          storyVersion: source.storyVersion,
          inkState: at.inkState,
          turnNo: f.atTurn,
          version: 0,
          status: view.ended ? 'ended' : 'active',
          view,
          forkedFrom: f.sourceId,
          forkedAtTurn: f.atTurn,
          upgradedAtTurn: source.upgradedAtTurn,
        });
        await copyTimeline(tx, f);
        return readSession(tx, f.newId);
      }),
  };
}
