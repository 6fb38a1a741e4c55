/**
 * The timeline rule for memories (see MemoryOrigin and MemoryStore): a memory a turn wrote is on
 * the session's timeline only while its turn is; the player's memories always are.
 * @module
 */
import { sql, type SQL } from 'drizzle-orm';
import type { MemoryOrigin } from '../../domain/ports/memory-store.js';

/** Whether a memory is on the timeline at `timelineTurn` (the session's turn); no filter when absent. */
export function isOnTimeline(m: { turnNo: number; origin: MemoryOrigin }, timelineTurn: number | undefined): boolean {
  return timelineTurn === undefined || m.turnNo <= timelineTurn || m.origin !== 'turn';
}

/** {@link isOnTimeline} as a condition on the `memories` table's columns. */
export function onTimelineSql(timelineTurn: number | undefined): SQL {
  if (timelineTurn === undefined) return sql`TRUE`;
  return sql`(turn_no <= ${timelineTurn}::int OR origin <> 'turn')`;
}
