/**
 * When to fold history into the rolling summary, and which turns. Every `every` turns, the turns
 * older than the narrator's history window that no summary covers yet are folded in; the summary
 * is stored under the last turn it covers, which makes the fold idempotent.
 * @module
 */

/** The turns `(from, through]` to fold after committing `turnNo`, or null when none are due. */
export function summaryDue(turnNo: number, every: number, historyTurns: number, coveredThrough: number): { from: number; through: number } | null {
  if (every <= 0 || turnNo <= 0 || turnNo % every !== 0) return null;
  const through = turnNo - historyTurns;
  if (through <= coveredThrough) return null;
  return { from: coveredThrough, through };
}
