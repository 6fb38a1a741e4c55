/** Something ranked by score, from a turn, with an id. */
export interface Ranked {
  score: number;
  turnNo: number;
  id: string;
}

/**
 * The total order of ranked memories and search hits: higher score first, then the newer turn,
 * then id in byte order (as SQL `COLLATE "C"`), so equal scores never come back in driver order
 * and both databases agree.
 */
export function compareRanked(a: Ranked, b: Ranked): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.turnNo !== b.turnNo) return b.turnNo - a.turnNo;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
