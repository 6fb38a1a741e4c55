import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * API keys for server-to-server clients. Only a SHA-256 hash of the key is stored; `prefix` (the
 * first characters of the key) lets a user tell their keys apart. A revoked key stays for audit.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull().unique('api_keys_key_hash_uq'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_keys_owner_id_idx').on(t.ownerId)],
);
