/**
 * Play data of one story, aggregated by the database for its author (see domain/story-analytics.ts).
 * Every method is one aggregate query; rows come back per group, never per turn.
 * @module
 */

/** Which sessions count: the story's, optionally only those on one version (by hash). */
export interface AnalyticsScope {
  storyId: string;
  versionHash?: string;
  /**
   * The visit counts and choice points read the ink state and views of at most this many sessions,
   * the most recently started: those parts cost work per session, the totals do not.
   */
  sampleSessions: number;
}

export interface SessionTotals {
  started: number;
  /** Sessions whose story reached an end (status `ended`). */
  finished: number;
  /** Sessions forked from another (counted in `started` too). */
  forks: number;
  /** Median turn number of finished sessions; null when none finished. */
  medianTurnsToEnding: number | null;
  /** How many sessions the sampled parts read (at most AnalyticsScope.sampleSessions). */
  sampled: number;
}

/**
 * Turns the players played, not counting the opening or turns a fork copied from its source.
 * `played` are on the timelines (active); `alternatives` were undone, retried or discarded — real
 * model calls, so the judge's rates and the spend count them, but they are not turns played.
 */
export interface TurnTotals {
  played: number;
  alternatives: number;
  /** Turns with recorded model usage (what the judge's rates are over). */
  judged: number;
  judgeRepaired: number;
  judgeFellBack: number;
  tokens: number;
  costUsd: number;
}

/** Active turns of one turn number: how many, and their mean tokens and cost. */
export interface TurnNumberUsage {
  turnNo: number;
  turns: number;
  tokens: number;
  costUsd: number;
}

/** Finished sessions grouped by where they ended and the final passage's tags. */
export interface EndingGroup {
  position: string | null;
  tags: string[];
  sessions: number;
}

/** Visit counts of one ink path ("knot" or "knot.stitch"), summed over the sampled sessions. */
export interface PathVisits {
  path: string;
  visits: number;
  /** Sampled sessions that visited it at least once. */
  sessions: number;
}

/** How often a choice (by index into `offered`, or none) was taken where the same choices were offered at one position. */
export interface ChoiceGroup {
  position: string | null;
  offered: { index: number; text: string }[];
  chosen: number | null;
  turns: number;
}

export interface AnalyticsStore {
  sessionTotals(scope: AnalyticsScope): Promise<SessionTotals>;
  turnTotals(scope: AnalyticsScope): Promise<TurnTotals>;
  /** Per turn number, first turns first, at most `limit` numbers. */
  usageByTurnNumber(scope: AnalyticsScope, limit: number): Promise<TurnNumberUsage[]>;
  endings(scope: AnalyticsScope): Promise<EndingGroup[]>;
  /** Knot and stitch visits over the sampled sessions (paths of at most two parts). */
  pathVisits(scope: AnalyticsScope): Promise<PathVisits[]>;
  /** Each sampled active turn's decision, grouped by the choices the turn before it offered. */
  choiceGroups(scope: AnalyticsScope): Promise<ChoiceGroup[]>;
}
