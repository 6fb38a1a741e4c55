/**
 * A story's analytics as one CSV table for spreadsheets: one row per number, under the columns
 * `section,name,detail,value,share` (RFC 4180 quoting by csv-stringify). `section` says what the
 * row counts (sessions, turns, ending, knot, stitch, choice, judge, usage, turn_usage); `share` is
 * a 0–1 fraction where one applies.
 * @module
 */
import { stringify } from 'csv-stringify/sync';
import type { StoryAnalytics } from '../domain/story-analytics.js';

type Row = [section: string, name: string, detail: string, value: number | string, share: number | string];

function rowsOf(a: StoryAnalytics): Row[] {
  const rows: Row[] = [
    ['sessions', 'started', '', a.sessions.started, ''],
    ['sessions', 'finished', '', a.sessions.finished, a.sessions.started > 0 ? a.sessions.finished / a.sessions.started : ''],
    ['sessions', 'forks', '', a.sessions.forks, ''],
    ['turns', 'played', '', a.turns.played, ''],
    ['turns', 'alternatives', 'undone, retried or discarded', a.turns.alternatives, ''],
    ['turns', 'median_to_ending', '', a.sessions.medianTurnsToEnding ?? '', ''],
  ];
  for (const e of a.endings) rows.push(['ending', e.ending, e.position ?? '', e.sessions, a.sessions.finished > 0 ? e.sessions / a.sessions.finished : '']);
  for (const p of a.coverage.places) rows.push([p.kind, p.path, p.inStory ? '' : 'not in this version', p.visits, a.sessions.sampled > 0 ? p.sessions / a.sessions.sampled : '']);
  rows.push(['coverage', 'knots_never_reached', `of ${a.coverage.knots}`, a.coverage.knotsNeverReached, a.coverage.neverReachedShare]);
  for (const point of a.choicePoints) {
    for (const c of point.choices) rows.push(['choice', point.position, c.text ?? '(no choice)', c.taken, c.share]);
  }
  rows.push(
    ['judge', 'turns', '', a.judge.turns, ''],
    ['judge', 'repair_rate', '', a.judge.repairRate, a.judge.repairRate],
    ['judge', 'fallback_rate', '', a.judge.fallbackRate, a.judge.fallbackRate],
    ['usage', 'tokens', 'total', a.turns.tokens, ''],
    ['usage', 'cost_usd', 'total', a.turns.costUsd, ''],
    ['usage', 'tokens', 'per_turn', a.usage.perTurn.tokens, ''],
    ['usage', 'cost_usd', 'per_turn', a.usage.perTurn.costUsd, ''],
    ['usage', 'tokens', 'per_session', a.usage.perSession.tokens, ''],
    ['usage', 'cost_usd', 'per_session', a.usage.perSession.costUsd, ''],
  );
  for (const u of a.usage.byTurnNumber) rows.push(['turn_usage', String(u.turnNo), `${u.turns} turns; mean cost_usd ${u.costUsd}`, u.tokens, '']);
  return rows;
}

/** The CSV text, header first, CRLF line ends. */
export function analyticsCsv(a: StoryAnalytics): string {
  return stringify(rowsOf(a), { header: true, columns: ['section', 'name', 'detail', 'value', 'share'], record_delimiter: 'windows' });
}
