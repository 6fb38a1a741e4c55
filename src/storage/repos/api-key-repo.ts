import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { ApiKeyRecord, ApiKeyStore } from '../../domain/ports/api-key-store.js';
import { apiKeys } from '../schema/index.js';
import type { Db } from './query.js';

type ApiKeyRow = typeof apiKeys.$inferSelect;

function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return { id: row.id, ownerId: row.ownerId, name: row.name, prefix: row.prefix, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}

/** API keys by owner and by hash (`key_hash` is unique, so a lookup is one index probe). */
export function createApiKeyRepo(db: Db): ApiKeyStore {
  return {
    async create(key) {
      const [row] = await db.insert(apiKeys).values(key).returning();
      if (!row) throw new Error('api key insert returned no row');
      return toApiKey(row);
    },

    async list(ownerId) {
      const rows = await db.select().from(apiKeys).where(eq(apiKeys.ownerId, ownerId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
      return rows.map(toApiKey);
    },

    async countActive(ownerId) {
      const [row] = await db.select({ n: count() }).from(apiKeys).where(and(eq(apiKeys.ownerId, ownerId), isNull(apiKeys.revokedAt)));
      return Number(row?.n ?? 0);
    },

    async findByHash(keyHash) {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).limit(1);
      return row ? toApiKey(row) : null;
    },

    async revoke(ownerId, id, at) {
      // coalesce: revoking twice keeps the first revocation time.
      const rows = await db
        .update(apiKeys)
        .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${at.toISOString()}::timestamptz)` })
        .where(and(eq(apiKeys.ownerId, ownerId), eq(apiKeys.id, id)))
        .returning({ id: apiKeys.id });
      return rows.length > 0;
    },

    async touch(id, at) {
      await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
    },
  };
}
