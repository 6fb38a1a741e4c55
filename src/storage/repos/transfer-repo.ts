/**
 * A session read whole for an export, and an imported session written whole (see TransferStore).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { DramaError } from '../../domain/errors.js';
import type { ImportedSession, SessionContents, TransferStore } from '../../domain/ports/transfer-store.js';
import { cards, memories, sessions, turns } from '../schema/index.js';
import { pgErrorOf, type Db } from './query.js';
import { chunked } from '../../shared/chunked.js';

async function readContents(db: Db, sessionId: string): Promise<SessionContents> {
  const [turnRows, memoryRows, cardRows] = await Promise.all([
    db
      .select({
        turnNo: turns.turnNo,
        state: turns.state,
        input: turns.input,
        action: turns.action,
        response: turns.response,
        originalResponse: turns.originalResponse,
        decision: turns.decision,
        view: turns.view,
        inkState: turns.inkState,
        timings: turns.timings,
        createdAt: turns.createdAt,
      })
      .from(turns)
      .where(eq(turns.sessionId, sessionId))
      .orderBy(asc(turns.turnNo), asc(turns.id)),
    db
      .select({ turnNo: memories.turnNo, kind: memories.kind, text: memories.text, importance: memories.importance, pinned: memories.pinned, origin: memories.origin })
      .from(memories)
      .where(eq(memories.sessionId, sessionId))
      .orderBy(asc(memories.turnNo), asc(memories.createdAt), sql`${memories.id} COLLATE "C"`),
    db
      .select({ name: cards.name, keywords: cards.keywords, text: cards.text, when: cards.when })
      .from(cards)
      .where(eq(cards.sessionId, sessionId))
      .orderBy(asc(cards.createdAt), sql`${cards.id} COLLATE "C"`),
  ]);
  return { turns: turnRows, memories: memoryRows, cards: cardRows };
}

async function insertSession(tx: Db, s: ImportedSession): Promise<void> {
  await tx.insert(sessions).values({
    id: s.id,
    ownerId: s.ownerId,
    storyId: s.storyId,
    storyVersion: s.storyVersion,
    inkState: s.inkState,
    turnNo: s.turnNo,
    status: s.status,
    view: s.view,
    upgradedAtTurn: s.upgradedAtTurn,
    steering: s.steering,
  });
  // Imported turns carry no task id (idempotency keys stay unique), no usage, cost or trace.
  for (const rows of chunked(s.turns, CHUNK_ROWS)) await tx.insert(turns).values(rows.map((t) => ({ ...t, sessionId: s.id, taskId: null })));
  // created_at follows the document's order, so the next export lists them in the same order.
  const base = Date.now();
  const at = (i: number) => ({ createdAt: new Date(base + i), updatedAt: new Date(base + i) });
  for (const [offset, rows] of chunked(s.memories, CHUNK_ROWS).map((c, n) => [n * CHUNK_ROWS, c] as const)) {
    await tx.insert(memories).values(rows.map((m, i) => ({ ...m, id: randomUUID(), sessionId: s.id, ...at(offset + i) })));
  }
  for (const rows of chunked(s.cards, CHUNK_ROWS)) {
    await tx.insert(cards).values(rows.map((c, i) => ({ ...c, when: c.when ?? null, id: randomUUID(), storyId: null, sessionId: s.id, ...at(i) })));
  }
}

/** Rows per INSERT: a statement holds at most 65,535 parameters (a memory row takes 12). */
const CHUNK_ROWS = 1000;

/** Whole-session reads and writes for export and import. */
export function createTransferRepo(db: Db): TransferStore {
  return {
    contents: (sessionId) => readContents(db, sessionId),

    async create(session) {
      try {
        await db.transaction((tx) => insertSession(tx as unknown as Db, session));
      } catch (err) {
        // The domain checks what the constraints check; a violation left is still the document's fault.
        const pg = pgErrorOf(err);
        if (pg && (pg.code === '23505' || pg.code === '23514')) {
          throw new DramaError('session_import_invalid', 'The document breaks a rule of the timeline', { details: [{ path: '(document)', message: pg.constraint ?? pg.code }] });
        }
        throw err;
      }
    },
  };
}
