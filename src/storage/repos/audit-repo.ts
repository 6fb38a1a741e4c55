import { and, desc, eq, gte } from 'drizzle-orm';
import type { AuditAction, AuditStore } from '../../domain/ports/audit-store.js';
import { auditLog } from '../schema/index.js';
import type { Db } from './query.js';

/** The audit log: insert and read, nothing else (the database refuses the rest, see the migration). */
export function createAuditRepo(db: Db): AuditStore {
  return {
    async append(entry) {
      await db.insert(auditLog).values(entry);
    },
    async list(filter) {
      const rows = await db
        .select()
        .from(auditLog)
        .where(and(filter.actor ? eq(auditLog.actor, filter.actor) : undefined, filter.action ? eq(auditLog.action, filter.action) : undefined, filter.since ? gte(auditLog.createdAt, filter.since) : undefined))
        .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
        .limit(filter.limit);
      return rows.map((r) => ({ ...r, action: r.action as AuditAction }));
    },
  };
}
