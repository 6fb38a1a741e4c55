/**
 * Turn row ↔ TurnResult. A TurnResult is rebuilt entirely from its row: `updated_state` is the
 * stored view, so a replayed (duplicate) task returns exactly what the first commit returned.
 * @module
 */
import type { HistoryEntry, StoryView, TurnResult, TurnState } from '../../domain/types.js';
import type { turns } from '../schema/index.js';
import type { TurnRow } from '../schema/types.js';
import { toDate } from './query.js';

/** The columns a TurnResult needs; `createdAt` is text when the row came back through to_jsonb. */
export type TurnResultRow = Pick<
  TurnRow,
  'sessionId' | 'turnNo' | 'taskId' | 'input' | 'action' | 'response' | 'decision' | 'view' | 'timings' | 'usage'
> & { originalResponse?: string | null; actorId?: string | null; createdAt: Date | string; traceId?: string | null; state?: TurnState };

/** Rebuild the committed TurnResult from its row. */
export function toTurnResult(row: TurnResultRow): TurnResult {
  return {
    sessionId: row.sessionId,
    turnNo: row.turnNo,
    taskId: row.taskId,
    input: row.input,
    action: row.action,
    ...(row.actorId != null ? { actorId: row.actorId } : {}),
    response: row.response,
    ...(row.originalResponse != null ? { originalResponse: row.originalResponse } : {}),
    decision: row.decision,
    updated_state: row.view,
    timings: row.timings,
    ...(row.usage ? { usage: row.usage } : {}),
    ...(row.traceId ? { traceId: row.traceId } : {}),
    // Absent means active: the timeline's own turns read exactly as they were committed.
    ...(row.state && row.state !== 'active' ? { state: row.state } : {}),
    createdAt: toDate(row.createdAt).toISOString(),
  };
}

/** A turn as the narrator's history sees it. */
export function toHistoryEntry(row: Pick<TurnRow, 'turnNo' | 'input' | 'action' | 'response' | 'view'>): HistoryEntry {
  return { turnNo: row.turnNo, input: row.input, action: row.action, response: row.response, storyText: row.view.text };
}

/** Only the StoryView fields, so extra keys on `updated_state` never reach the database. */
export function pickView(v: TurnResult['updated_state']): StoryView {
  return { text: v.text, tags: v.tags, choices: v.choices, ended: v.ended, variables: v.variables, ...(v.position ? { position: v.position } : {}) };
}

/** `createdAt` as a timestamp to store, or null to let the database use now(). */
export function createdAtOrNull(iso: string): string | null {
  return iso && !Number.isNaN(Date.parse(iso)) ? iso : null;
}

/** Insert values for a turn row (used for turn 0, written by createSession). */
export function turnInsertValues(sessionId: string, result: TurnResult, inkState: string): typeof turns.$inferInsert {
  const createdAt = createdAtOrNull(result.createdAt);
  return {
    sessionId,
    turnNo: result.turnNo,
    taskId: result.taskId,
    input: result.input,
    action: result.action,
    response: result.response,
    decision: result.decision,
    view: pickView(result.updated_state),
    inkState,
    timings: result.timings,
    ...(createdAt ? { createdAt: new Date(createdAt) } : {}),
  };
}
