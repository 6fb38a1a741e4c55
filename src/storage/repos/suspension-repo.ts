import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { Suspension, SuspensionStore } from '../../domain/ports/suspension-store.js';
import { suspendedUsers } from '../schema/index.js';
import type { Db } from './query.js';

type SuspensionRow = typeof suspendedUsers.$inferSelect;

function toSuspension(row: SuspensionRow): Suspension {
  return { userId: row.userId, reason: row.reason, suspendedBy: row.suspendedBy, createdAt: row.createdAt };
}

/** The `suspended_users` table: one row per suspended user. */
export function createSuspensionRepo(db: Db): SuspensionStore {
  return {
    async suspend(input) {
      const [row] = await db
        .insert(suspendedUsers)
        .values(input)
        .onConflictDoUpdate({ target: suspendedUsers.userId, set: { reason: input.reason, suspendedBy: input.suspendedBy, createdAt: sql`now()` } })
        .returning();
      if (!row) throw new Error('suspension upsert returned no row');
      return toSuspension(row);
    },

    async unsuspend(userId) {
      const rows = await db.delete(suspendedUsers).where(eq(suspendedUsers.userId, userId)).returning({ userId: suspendedUsers.userId });
      return rows.length > 0;
    },

    async get(userId) {
      const [row] = await db.select().from(suspendedUsers).where(eq(suspendedUsers.userId, userId)).limit(1);
      return row ? toSuspension(row) : null;
    },

    async suspendedAmong(userIds) {
      if (userIds.length === 0) return [];
      const rows = await db.select({ userId: suspendedUsers.userId }).from(suspendedUsers).where(inArray(suspendedUsers.userId, [...userIds]));
      return rows.map((r) => r.userId);
    },

    async list() {
      const rows = await db.select().from(suspendedUsers).orderBy(desc(suspendedUsers.createdAt), desc(suspendedUsers.userId));
      return rows.map(toSuspension);
    },
  };
}
