import { and, asc, eq, sql } from 'drizzle-orm';
import type { KeyProvider, PassageLength, InterfaceLanguage, SealedProviderKey, SettingsStore } from '../../domain/ports/settings-store.js';
import { providerKeys, userSettings } from '../schema/index.js';
import type { Db } from './query.js';

const toKey = (row: typeof providerKeys.$inferSelect): SealedProviderKey => ({
  provider: row.provider as KeyProvider,
  sealed: row.sealed,
  hint: row.hint,
  baseUrl: row.baseUrl,
  createdAt: row.createdAt,
});

/** Users' settings and sealed provider keys. */
export function createSettingsRepo(db: Db): SettingsStore {
  return {
    async get(userId) {
      const [row] = await db.select().from(userSettings).where(eq(userSettings.userId, userId)).limit(1);
      if (!row) return null;
      return {
        narratorModel: row.narratorModel,
        temperature: row.temperature,
        passageLength: row.passageLength as PassageLength | null,
        language: row.language as InterfaceLanguage | null,
      };
    },

    async put(userId, s) {
      const values = { narratorModel: s.narratorModel, temperature: s.temperature, passageLength: s.passageLength, language: s.language };
      await db
        .insert(userSettings)
        .values({ userId, ...values })
        .onConflictDoUpdate({ target: userSettings.userId, set: { ...values, updatedAt: sql`now()` } });
    },

    async listKeys(userId) {
      const rows = await db.select().from(providerKeys).where(eq(providerKeys.ownerId, userId)).orderBy(asc(providerKeys.provider));
      return rows.map(toKey);
    },

    async putKey(userId, key) {
      const values = { sealed: key.sealed, hint: key.hint, baseUrl: key.baseUrl };
      const [row] = await db
        .insert(providerKeys)
        .values({ ownerId: userId, provider: key.provider, ...values })
        .onConflictDoUpdate({ target: [providerKeys.ownerId, providerKeys.provider], set: { ...values, createdAt: sql`now()` } })
        .returning();
      if (!row) throw new Error('provider key upsert returned no row');
      return toKey(row);
    },

    async deleteKey(userId, provider) {
      const gone = await db
        .delete(providerKeys)
        .where(and(eq(providerKeys.ownerId, userId), eq(providerKeys.provider, provider)))
        .returning({ provider: providerKeys.provider });
      return gone.length > 0;
    },
  };
}
