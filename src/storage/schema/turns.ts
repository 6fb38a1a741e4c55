import { bigint, doublePrecision, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import type { ActionKind, Decision, StoryView, TurnTimings, TurnUsage } from '../../domain/types.js';
import { sessions } from './sessions.js';

/**
 * One committed turn. Turn 0 is the opening. `task_id` makes a retried job idempotent: the unique
 * constraint is what finally decides between two workers committing the same task.
 */
export const turns = pgTable(
  'turns',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    turnNo: integer('turn_no').notNull(),
    taskId: text('task_id').unique('turns_task_id_uq'),
    input: text('input').notNull(),
    action: text('action').$type<ActionKind>().notNull(),
    response: text('response').notNull(),
    decision: jsonb('decision').$type<Decision>().notNull(),
    /** The story view after the turn (the result's `updated_state`). */
    view: jsonb('view').$type<StoryView>().notNull(),
    /** Ink state after the turn, kept so a later undo/fork can restart from any turn. */
    inkState: text('ink_state').notNull(),
    timings: jsonb('timings').$type<TurnTimings>().notNull(),
    /** Model calls, tokens and cost of the turn. */
    usage: jsonb('usage').$type<TurnUsage>(),
    /** Totals kept as columns so per-session and per-user sums stay cheap. */
    tokens: integer('tokens').notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    /** What the models were sent and answered (context trace), for debugging a turn. */
    trace: jsonb('trace'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('turns_session_turn_uq').on(t.sessionId, t.turnNo)],
);
