import { bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { ActionKind } from '../../domain/types.js';
import type { PendingActionState } from '../../domain/ports/action-store.js';
import { sessions } from './sessions.js';

/**
 * Actions of shared sessions waiting for their turn (free mode: each becomes its own turn, in
 * arrival order) or collected into a vote (vote mode: the open vote's actions become one turn).
 * Rows stay after they are dispatched, naming the task of the turn they went into, so every
 * task id a player was given still answers its status.
 */
export const sessionActions = pgTable(
  'session_actions',
  {
    taskId: text('task_id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    input: text('input').notNull(),
    action: text('action').$type<ActionKind>().notNull(),
    /** Arrival order across every web server (one sequence in the database). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    state: text('state').$type<PendingActionState>().notNull().default('waiting'),
    /** The task of the turn this action went into (its own id in free mode; the vote's in vote mode). */
    turnTaskId: text('turn_task_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('session_actions_waiting_idx').on(t.sessionId, t.state, t.seq)],
);
