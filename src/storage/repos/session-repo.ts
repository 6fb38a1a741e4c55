import { count, eq } from 'drizzle-orm';
import { DramaError } from '../../domain/errors.js';
import type { NewSession, SessionStore } from '../../domain/ports/store.js';
import type { SessionRecord } from '../../domain/types.js';
import { sessions, turns } from '../schema/index.js';
import type { SessionRow } from '../schema/types.js';
import { pgErrorOf, type Db } from './query.js';
import { turnInsertValues } from './turn-mapping.js';

/** Map a session row to the domain record (the row type already matches field for field). */
export function toSessionRecord(row: SessionRow): SessionRecord {
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
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Sessions; creating one also commits its opening as turn 0. */
export function createSessionRepo(db: Db): SessionStore {
  return {
    async createSession(input: NewSession): Promise<SessionRecord> {
      try {
        return await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(sessions)
            .values({
              id: input.id,
              ownerId: input.ownerId,
              storyId: input.storyId,
              storyVersion: input.storyVersion,
              inkState: input.inkState,
              turnNo: input.opening.turnNo,
              version: 0,
              status: input.status,
              view: input.view,
            })
            .returning();
          if (!row) throw new Error('session insert returned no row');
          await tx.insert(turns).values(turnInsertValues(input.id, input.opening, input.inkState));
          return toSessionRecord(row);
        });
      } catch (err) {
        // The only foreign key a new session has is its story.
        if (pgErrorOf(err)?.code === '23503') {
          throw new DramaError('story_not_found', `story ${input.storyId} does not exist`, { cause: err });
        }
        throw err;
      }
    },

    async countSessions(ownerId: string): Promise<number> {
      const [row] = await db.select({ n: count() }).from(sessions).where(eq(sessions.ownerId, ownerId));
      return Number(row?.n ?? 0);
    },

    async getSession(id: string): Promise<SessionRecord | null> {
      const [row] = await db.select().from(sessions).where(eq(sessions.id, id)).limit(1);
      return row ? toSessionRecord(row) : null;
    },

    async deleteSession(id: string): Promise<boolean> {
      // Turns, memories and session cards go with it (ON DELETE CASCADE).
      const rows = await db.delete(sessions).where(eq(sessions.id, id)).returning({ id: sessions.id });
      return rows.length > 0;
    },
  };
}
