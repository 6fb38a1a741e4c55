import { and, desc, eq, getTableColumns, lt, or, sql } from 'drizzle-orm';
import { DramaError } from '../../domain/errors.js';
import type { NewSession, SessionHead, SessionStore } from '../../domain/ports/session-store.js';
import type { MemberRole, SessionRecord } from '../../domain/types.js';
import { sessions } from '../schema/index.js';
import type { SessionRow } from '../schema/types.js';
import { pgErrorOf, toDate, type Db } from './query.js';
import type { RawQuery, Statement } from './statement.js';
import { turnInsertValues } from './turn-mapping.js';

// A new session and its opening (turn 0) in one statement: atomic on its own, one round trip
// instead of a transaction's four. $1 id, $2 owner, $3 story, $4 version hash, $5 ink state,
// $6 turn no, $7 status, $8 view; the opening: $9 task, $10 input, $11 action, $12 response,
// $13 decision, $14 turn view, $15 timings, $16 created at.
const CREATE_SESSION: Statement = {
  name: 'md_create_session_v1',
  text: `
WITH s AS (
  INSERT INTO sessions (id, owner_id, story_id, story_version, ink_state, turn_no, version, status, view)
  VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::int, 0, $7::text, $8::jsonb)
  RETURNING id, created_at, updated_at
), t AS (
  INSERT INTO turns (session_id, turn_no, task_id, input, action, response, decision, view, ink_state, timings, created_at)
  SELECT s.id, $6::int, $9::text, $10::text, $11::text, $12::text, $13::jsonb, $14::jsonb, $5::text, $15::jsonb, coalesce($16::timestamptz, now())
    FROM s
)
SELECT created_at, updated_at FROM s`,
};

// Read at every session start when MAX_SESSIONS_PER_USER is set (on the hot path's connections).
const COUNT_SESSIONS: Statement = { name: 'md_count_sessions_v1', text: 'SELECT count(*)::int AS n FROM sessions WHERE owner_id = $1::text' };

/** Map a session row to the domain record (the row type already matches field for field). */
export function toSessionRecord(row: SessionRow & { redoAvailable?: boolean }): SessionRecord {
  return {
    id: row.id,
    ownerId: row.ownerId,
    storyId: row.storyId,
    storyVersion: row.storyVersion,
    inkState: row.inkState,
    turnNo: row.turnNo,
    version: row.version,
    status: row.status,
    view: row.view,
    forkedFrom: row.forkedFrom,
    forkedAtTurn: row.forkedAtTurn,
    upgradedAtTurn: row.upgradedAtTurn ?? null,
    steering: row.steering ?? null,
    redoAvailable: row.redoAvailable ?? false,
    turnMode: row.turnMode ?? null,
    round: row.round ?? null,
    voteDeadline: row.voteDeadline ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * A session row's columns plus `redoAvailable`: whether the turn after the current one is undone.
 * Undone turns only ever lie past the session's turn, so one index probe answers it.
 */
export const SESSION_COLUMNS = {
  ...getTableColumns(sessions),
  // Qualified by hand: Drizzle leaves columns unqualified in a select list, and inside the
  // subquery a bare "id" would be the turn's.
  redoAvailable: sql<boolean>`EXISTS (SELECT 1 FROM turns t WHERE t.session_id = "sessions"."id" AND t.turn_no = "sessions"."turn_no" + 1 AND t.state = 'undone')`,
};

/** One session with `redoAvailable`, or null. */
export async function readSession(db: Db, id: string): Promise<SessionRecord | null> {
  const [row] = await db.select(SESSION_COLUMNS).from(sessions).where(eq(sessions.id, id)).limit(1);
  return row ? toSessionRecord(row) : null;
}

/** Read on every action and access check: prepared once per connection, no ink state; $2 is who asks. */
const SESSION_HEAD: Statement = {
  name: 'md_session_head_v3',
  text: `SELECT s.id, s.owner_id AS "ownerId", s.status, s.turn_no AS "turnNo", s.turn_mode AS "turnMode", s.round,
                to_jsonb(s.vote_deadline) AS "voteDeadline", to_jsonb(s.updated_at) AS "updatedAt",
                (SELECT m.role FROM session_members m WHERE m.session_id = s.id AND m.user_id = $2) AS "memberRole"
           FROM sessions s WHERE s.id = $1`,
};

type HeadRow = Omit<SessionHead, 'voteDeadline' | 'updatedAt'> & { voteDeadline: string | null; updatedAt: string };

/** Sessions; creating one also commits its opening as turn 0. */
export function createSessionRepo(db: Db, query: RawQuery): SessionStore {
  return {
    async createSession(input: NewSession): Promise<SessionRecord> {
      const opening = turnInsertValues(input.id, input.opening, input.inkState);
      try {
        const [row] = await query<{ created_at: Date | string; updated_at: Date | string }>(CREATE_SESSION, [
          input.id,
          input.ownerId,
          input.storyId,
          input.storyVersion,
          input.inkState,
          opening.turnNo,
          input.status,
          JSON.stringify(input.view),
          opening.taskId ?? null,
          opening.input,
          opening.action,
          opening.response,
          JSON.stringify(opening.decision),
          JSON.stringify(opening.view),
          JSON.stringify(opening.timings),
          opening.createdAt ?? null,
        ]);
        if (!row) throw new Error('session insert returned no row');
        return {
          id: input.id,
          ownerId: input.ownerId,
          storyId: input.storyId,
          storyVersion: input.storyVersion,
          inkState: input.inkState,
          turnNo: opening.turnNo,
          version: 0,
          status: input.status,
          view: input.view,
          forkedFrom: null,
          forkedAtTurn: null,
          upgradedAtTurn: null,
          steering: null,
          redoAvailable: false,
          turnMode: null,
          round: null,
          voteDeadline: null,
          createdAt: toDate(row.created_at),
          updatedAt: toDate(row.updated_at),
        };
      } catch (err) {
        // The only foreign key a new session has is its story.
        if (pgErrorOf(err)?.code === '23503') {
          throw new DramaError('story_not_found', `story ${input.storyId} does not exist`, { cause: err });
        }
        throw err;
      }
    },

    async countSessions(ownerId: string): Promise<number> {
      const [row] = await query<{ n: number }>(COUNT_SESSIONS, [ownerId]);
      return Number(row?.n ?? 0);
    },

    async listSessions(userId: string, page: { limit: number; before?: Date }) {
      // Owned or joined: a member's sessions are theirs to come back to.
      const memberRole = sql<MemberRole | null>`(SELECT m.role FROM session_members m WHERE m.session_id = "sessions"."id" AND m.user_id = ${userId})`;
      const mine = or(eq(sessions.ownerId, userId), sql`EXISTS (SELECT 1 FROM session_members m WHERE m.session_id = "sessions"."id" AND m.user_id = ${userId})`);
      const rows = await db
        .select({ ...getTableColumns(sessions), memberRole })
        .from(sessions)
        .where(page.before ? and(mine, lt(sessions.updatedAt, page.before)) : mine)
        .orderBy(desc(sessions.updatedAt), desc(sessions.id))
        .limit(page.limit);
      return rows.map((row) => ({ ...toSessionRecord(row), memberRole: row.memberRole }));
    },

    getSession(id: string): Promise<SessionRecord | null> {
      return readSession(db, id);
    },

    async getSessionHead(id: string, viewerId = ''): Promise<SessionHead | null> {
      const [row] = await query<HeadRow>(SESSION_HEAD, [id, viewerId]);
      if (!row) return null;
      return { ...row, voteDeadline: row.voteDeadline === null ? null : toDate(row.voteDeadline), updatedAt: toDate(row.updatedAt) };
    },

    updateSteering(id, apply) {
      // The row lock makes two changes of different fields both land (no lost update).
      return db.transaction(async (tx) => {
        const [row] = await tx.select({ steering: sessions.steering }).from(sessions).where(eq(sessions.id, id)).for('update');
        if (!row) return null;
        await tx.update(sessions).set({ steering: apply(row.steering ?? null) }).where(eq(sessions.id, id));
        return readSession(tx as unknown as Db, id);
      });
    },

    async deleteSession(id: string): Promise<boolean> {
      // Turns, memories and session cards go with it (ON DELETE CASCADE).
      const rows = await db.delete(sessions).where(eq(sessions.id, id)).returning({ id: sessions.id });
      return rows.length > 0;
    },
  };
}
