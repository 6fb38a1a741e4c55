import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Users' own model provider keys ("bring your own key"), one per user and provider. `sealed` is the
 * key encrypted with AES-256-GCM under PROVIDER_KEY_SECRET (shared/secret-box.ts), its additional
 * data binding the user id and provider: the plaintext is never stored, logged or returned. `hint`
 * is the masked form the owner sees (`sk-…abcd`).
 */
export const providerKeys = pgTable(
  'provider_keys',
  {
    ownerId: text('owner_id').notNull(),
    /** `openai` | `anthropic` | `compat` (the API's `openai-compatible`). */
    provider: text('provider').notNull(),
    sealed: text('sealed').notNull(),
    hint: text('hint').notNull(),
    /** An OpenAI-compatible server's base URL (compat only). */
    baseUrl: text('base_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'provider_keys_pk', columns: [t.ownerId, t.provider] })],
);
