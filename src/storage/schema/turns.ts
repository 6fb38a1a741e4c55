import { sql } from 'drizzle-orm';
import { bigint, customType, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ActionKind, Decision, StoryView, TurnState, TurnTimings, TurnUsage } from '../../domain/types.js';
import { sessions } from './sessions.js';

/**
 * One committed turn. Turn 0 is the opening. `task_id` makes a retried job idempotent: the unique
 * constraint is what finally decides between two workers committing the same task. Only one turn
 * per (session, turn number) is `active`; undone, replaced and discarded turns stay for redo and
 * as alternatives (see TurnState).
 */
/** Raw bytes (PostgreSQL bytea). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

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
    /** Who acted (the user whose action this turn played); null on the opening and on turns from before shared sessions. */
    actorId: text('actor_id'),
    action: text('action').$type<ActionKind>().notNull(),
    response: text('response').notNull(),
    /** The narration as the model wrote it, kept when the player edits `response`; null if never edited. */
    originalResponse: text('original_response'),
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
    /**
     * What the models were sent and answered (context trace), for debugging a turn: compressed JSON
     * (brotli, gzip in older rows; repos/packed-json.ts). As jsonb it cost the database more per turn than the rest of the
     * commit (parsing ~8 KB, then compressing it again for TOAST).
     */
    traceGz: bytea('trace_gz'),
    /** The trace of turns committed before `trace_gz` (migration 0019); read when that is null. */
    trace: jsonb('trace'),
    /** What re-running the turn needs (domain/turn-recording.ts), compressed JSON (repos/packed-json.ts); cleared after TRACE_RETENTION_DAYS, as is the trace. */
    recording: bytea('recording'),
    /** Timeline state (undo / redo / retry); see TurnState. */
    state: text('state').$type<TurnState>().notNull().default('active'),
    /** OpenTelemetry trace id of the turn, when tracing is on. */
    traceId: text('trace_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('turns_session_turn_active_uq').on(t.sessionId, t.turnNo).where(sql`state = 'active'`),
    index('turns_session_turn_idx').on(t.sessionId, t.turnNo),
  ],
);
