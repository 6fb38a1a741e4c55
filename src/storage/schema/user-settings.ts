import { doublePrecision, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * A user's own settings (`GET/PUT /api/me/settings`); no row = the server's defaults. The turn's
 * one load statement reads the row with the session (storage/repos/load-turn.ts), so settings cost
 * no extra statement per turn.
 */
export const userSettings = pgTable('user_settings', {
  userId: text('user_id').primaryKey(),
  /** A `provider:model` spec from ALLOWED_MODELS; null = the server's narrator. */
  narratorModel: text('narrator_model'),
  /** Sampling temperature of the narrator; null = the model's default. */
  temperature: doublePrecision('temperature'),
  /** `short` | `medium` | `long`; null = medium. */
  passageLength: text('passage_length'),
  /** Interface language of the web client (`en` | `zh`); null = the browser's. */
  language: text('language'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
