/**
 * What an author reads from real play, computed from the database's aggregates (AnalyticsStore):
 * endings named, knot and stitch coverage against the story's outline, choice shares per choice
 * point, the judge's rates and the spend per turn and per session.
 * - An **ending** is where a finished session's story ended: the value of an `# ending: name` tag
 *   on the final passage when it has one, else the knot or knot.stitch it ended in.
 * - A **choice point** is a knot or knot.stitch where choices were offered; each choice is known
 *   by its text, so the same point in different sessions (and conditional choices that come and go)
 *   add up. Every played turn at a point counts once: it took one of the choices, or none.
 * @module
 */
import type { ChoiceGroup, EndingGroup, PathVisits, SessionTotals, TurnNumberUsage, TurnTotals } from './ports/analytics-store.js';
import type { StoryOutline } from './ports/story-engine.js';

export interface EndingCount {
  ending: string;
  /** The knot or knot.stitch the story ended in (null: not recorded). */
  position: string | null;
  sessions: number;
}

export interface PlaceCoverage {
  path: string;
  kind: 'knot' | 'stitch';
  visits: number;
  sessions: number;
  /** False for a place an older version had: it is listed with its visits but not in the share. */
  inStory: boolean;
}

export interface ChoiceShare {
  /** The choice's text; null for turns that took no choice. */
  text: string | null;
  taken: number;
  share: number;
}

export interface ChoicePoint {
  position: string;
  /** Turns played at this point. */
  turns: number;
  choices: ChoiceShare[];
}

export interface StoryAnalytics {
  storyId: string;
  /** The version the numbers are limited to; null: every version. */
  version: number | null;
  sessions: SessionTotals;
  turns: TurnTotals;
  endings: EndingCount[];
  coverage: { places: PlaceCoverage[]; knots: number; knotsNeverReached: number; neverReachedShare: number };
  choicePoints: ChoicePoint[];
  judge: { turns: number; repairRate: number; fallbackRate: number };
  usage: { perTurn: { tokens: number; costUsd: number }; perSession: { tokens: number; costUsd: number }; byTurnNumber: TurnNumberUsage[] };
  /** The sessions the coverage and choice points read (the most recent ones), and the cap. */
  sample: { sessions: number; limit: number };
}

/** The aggregates the numbers are computed from. */
export interface AnalyticsInput {
  storyId: string;
  version: number | null;
  outline: StoryOutline;
  sessions: SessionTotals;
  turns: TurnTotals;
  byTurnNumber: TurnNumberUsage[];
  endings: EndingGroup[];
  visits: PathVisits[];
  choices: ChoiceGroup[];
  sampleLimit: number;
}

const ratio = (n: number, d: number): number => (d > 0 ? Math.round((n / d) * 1e6) / 1e6 : 0);
const money = (usd: number): number => Math.round(usd * 1e8) / 1e8;

/** The `# ending:` tag's value, if the final passage has one (the last such tag wins). */
export function endingTag(tags: readonly string[]): string | null {
  let name: string | null = null;
  for (const tag of tags) {
    const m = /^\s*ending\s*:\s*(.+?)\s*$/i.exec(tag);
    if (m) name = m[1]!;
  }
  return name;
}

/** Finished sessions per ending, most reached first. */
export function countEndings(groups: readonly EndingGroup[]): EndingCount[] {
  const byName = new Map<string, EndingCount>();
  for (const g of groups) {
    const ending = endingTag(g.tags) ?? g.position ?? '(unknown)';
    const entry = byName.get(ending) ?? { ending, position: g.position, sessions: 0 };
    entry.sessions += g.sessions;
    byName.set(ending, entry);
  }
  return [...byName.values()].sort((a, b) => b.sessions - a.sessions || a.ending.localeCompare(b.ending));
}

/** Every knot and stitch of the outline with its visits, then places only older versions had. */
export function coverageOf(outline: StoryOutline, visits: readonly PathVisits[]): StoryAnalytics['coverage'] {
  const seen = new Map(visits.map((v) => [v.path, v]));
  const place = (path: string, kind: PlaceCoverage['kind'], inStory: boolean): PlaceCoverage => ({ path, kind, visits: seen.get(path)?.visits ?? 0, sessions: seen.get(path)?.sessions ?? 0, inStory });
  const places = [...outline.knots.map((k) => place(k, 'knot', true)), ...outline.stitches.map((s) => place(s, 'stitch', true))];
  const known = new Set(places.map((p) => p.path));
  // ink's root container counts too (path ""); other unknown paths are places of another version.
  for (const v of visits) if (!known.has(v.path) && v.path !== '') places.push(place(v.path, v.path.includes('.') ? 'stitch' : 'knot', false));
  const neverReached = outline.knots.filter((k) => (seen.get(k)?.visits ?? 0) === 0).length;
  return { places, knots: outline.knots.length, knotsNeverReached: neverReached, neverReachedShare: ratio(neverReached, outline.knots.length) };
}

/** Choice shares per choice point: groups of the same position add up, choices matched by text. */
export function choicePointsOf(groups: readonly ChoiceGroup[]): ChoicePoint[] {
  const points = new Map<string, { turns: number; taken: Map<string | null, number> }>();
  for (const g of groups) {
    const position = g.position ?? '(unknown)';
    const point = points.get(position) ?? { turns: 0, taken: new Map<string | null, number>() };
    for (const offered of g.offered) if (!point.taken.has(offered.text)) point.taken.set(offered.text, 0);
    const text = g.chosen === null ? null : (g.offered.find((o) => o.index === g.chosen)?.text ?? null);
    point.taken.set(text, (point.taken.get(text) ?? 0) + g.turns);
    point.turns += g.turns;
    points.set(position, point);
  }
  return [...points.entries()].map(([position, p]) => {
    if (!p.taken.has(null)) p.taken.set(null, 0);
    const choices = [...p.taken.entries()].map(([text, taken]) => ({ text, taken, share: ratio(taken, p.turns) }));
    // The offered choices in their order, "no choice" last.
    choices.sort((a, b) => Number(a.text === null) - Number(b.text === null));
    return { position, turns: p.turns, choices };
  });
}

/** Every number of the dashboard from the aggregates. */
export function computeAnalytics(input: AnalyticsInput): StoryAnalytics {
  const { turns, sessions } = input;
  const modelTurns = turns.played + turns.alternatives;
  return {
    storyId: input.storyId,
    version: input.version,
    sessions,
    turns,
    endings: countEndings(input.endings),
    coverage: coverageOf(input.outline, input.visits),
    choicePoints: choicePointsOf(input.choices),
    judge: { turns: turns.judged, repairRate: ratio(turns.judgeRepaired, turns.judged), fallbackRate: ratio(turns.judgeFellBack, turns.judged) },
    usage: {
      perTurn: { tokens: ratio(turns.tokens, modelTurns), costUsd: money(modelTurns > 0 ? turns.costUsd / modelTurns : 0) },
      perSession: { tokens: ratio(turns.tokens, sessions.started), costUsd: money(sessions.started > 0 ? turns.costUsd / sessions.started : 0) },
      byTurnNumber: input.byTurnNumber.map((u) => ({ ...u, tokens: Math.round(u.tokens * 100) / 100, costUsd: money(u.costUsd) })),
    },
    sample: { sessions: sessions.sampled, limit: input.sampleLimit },
  };
}
