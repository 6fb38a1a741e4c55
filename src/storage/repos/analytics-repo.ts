/**
 * A story's play data for its author, aggregated in SQL (see AnalyticsStore): each method is one
 * statement whose rows are groups — turn numbers, endings, ink paths, choice sets — never turns.
 * The totals scan the story's sessions and turns (sessions by story, turns by session index); the
 * visit counts and choice points parse JSON per session, so they read only the most recently
 * started `sampleSessions` sessions.
 * @module
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnalyticsScope, AnalyticsStore, ChoiceGroup, EndingGroup, PathVisits, SessionTotals, TurnNumberUsage, TurnTotals } from '../../domain/ports/analytics-store.js';
import { sessions, turns } from '../schema/index.js';
import { queryRows, type Db } from './query.js';

/** At most this many groups come back from the per-path and per-choice queries, whatever the data. */
const MAX_GROUPS = 5_000;

/** The scope as a condition on `sessions` (aliased s). */
function inScope(scope: AnalyticsScope): SQL {
  return scope.versionHash === undefined
    ? sql`s.story_id = ${scope.storyId}`
    : sql`s.story_id = ${scope.storyId} AND s.story_version = ${scope.versionHash}`;
}

/** The sampled sessions: the most recently started ones in scope. */
function sampled(scope: AnalyticsScope): SQL {
  return sql`(SELECT s.id, s.ink_state, s.forked_at_turn FROM ${sessions} s WHERE ${inScope(scope)} ORDER BY s.created_at DESC, s.id LIMIT ${scope.sampleSessions})`;
}

/** A turn a player played on this session: not the opening, not a turn a fork copied. */
const OWN_TURN = sql`t.turn_no > coalesce(s.forked_at_turn, 0)`;

const num = (v: unknown): number => Number(v ?? 0);
/** Dollars to 1e-8, as turns record them (sums of floats drift below that). */
const usd = (v: unknown): number => Math.round(num(v) * 1e8) / 1e8;

export function createAnalyticsRepo(db: Db): AnalyticsStore {
  return {
    async sessionTotals(scope): Promise<SessionTotals> {
      const [row] = await queryRows<Record<string, unknown>>(
        db,
        sql`SELECT count(*)::int AS started,
                   count(*) FILTER (WHERE s.status = 'ended')::int AS finished,
                   count(*) FILTER (WHERE s.forked_from IS NOT NULL)::int AS forks,
                   (percentile_cont(0.5) WITHIN GROUP (ORDER BY s.turn_no) FILTER (WHERE s.status = 'ended'))::float8 AS median,
                   least(count(*), ${scope.sampleSessions})::int AS sampled
            FROM ${sessions} s WHERE ${inScope(scope)}`,
      );
      return { started: num(row?.started), finished: num(row?.finished), forks: num(row?.forks), medianTurnsToEnding: row?.median == null ? null : num(row.median), sampled: num(row?.sampled) };
    },

    async turnTotals(scope): Promise<TurnTotals> {
      const [row] = await queryRows<Record<string, unknown>>(
        db,
        sql`SELECT count(*) FILTER (WHERE t.state = 'active')::int AS played,
                   count(*) FILTER (WHERE t.state <> 'active')::int AS alternatives,
                   count(*) FILTER (WHERE t.usage IS NOT NULL)::int AS judged,
                   count(*) FILTER (WHERE (t.usage->>'judgeRepaired')::boolean)::int AS repaired,
                   count(*) FILTER (WHERE (t.usage->>'judgeFellBack')::boolean)::int AS fell_back,
                   coalesce(sum(t.tokens), 0)::float8 AS tokens,
                   coalesce(sum(t.cost_usd), 0)::float8 AS cost
            FROM ${turns} t JOIN ${sessions} s ON s.id = t.session_id
            WHERE ${inScope(scope)} AND ${OWN_TURN}`,
      );
      return {
        played: num(row?.played),
        alternatives: num(row?.alternatives),
        judged: num(row?.judged),
        judgeRepaired: num(row?.repaired),
        judgeFellBack: num(row?.fell_back),
        tokens: num(row?.tokens),
        costUsd: usd(row?.cost),
      };
    },

    async usageByTurnNumber(scope, limit): Promise<TurnNumberUsage[]> {
      const rows = await queryRows<Record<string, unknown>>(
        db,
        sql`SELECT t.turn_no, count(*)::int AS turns, avg(t.tokens)::float8 AS tokens, avg(t.cost_usd)::float8 AS cost
            FROM ${turns} t JOIN ${sessions} s ON s.id = t.session_id
            WHERE ${inScope(scope)} AND ${OWN_TURN} AND t.state = 'active'
            GROUP BY t.turn_no ORDER BY t.turn_no LIMIT ${limit}`,
      );
      return rows.map((r) => ({ turnNo: num(r.turn_no), turns: num(r.turns), tokens: num(r.tokens), costUsd: usd(r.cost) }));
    },

    async endings(scope): Promise<EndingGroup[]> {
      const rows = await queryRows<{ position: string | null; tags: string[] | null; sessions: number }>(
        db,
        sql`SELECT s.view->>'position' AS position, s.view->'tags' AS tags, count(*)::int AS sessions
            FROM ${sessions} s WHERE ${inScope(scope)} AND s.status = 'ended'
            GROUP BY 1, 2 ORDER BY 3 DESC LIMIT ${MAX_GROUPS}`,
      );
      return rows.map((r) => ({ position: r.position, tags: Array.isArray(r.tags) ? r.tags : [], sessions: num(r.sessions) }));
    },

    async pathVisits(scope): Promise<PathVisits[]> {
      // Only paths of one or two parts ("knot", "knot.stitch"): ink also counts its inner containers ("knot.0.c-1").
      const rows = await queryRows<{ path: string; visits: number; sessions: number }>(
        db,
        sql`SELECT v.key AS path, sum(v.value::bigint)::float8 AS visits, count(*)::int AS sessions
            FROM ${sampled(scope)} s CROSS JOIN LATERAL jsonb_each_text((s.ink_state::jsonb)->'visitCounts') v
            WHERE v.key ~ '^[^.]+(\\.[^.]+)?$' AND v.value ~ '^[0-9]+$' AND v.value::bigint > 0
            GROUP BY 1 ORDER BY 1 LIMIT ${MAX_GROUPS}`,
      );
      return rows.map((r) => ({ path: r.path, visits: num(r.visits), sessions: num(r.sessions) }));
    },

    async choiceGroups(scope): Promise<ChoiceGroup[]> {
      const rows = await queryRows<{ position: string | null; offered: { index: number; text: string }[]; chosen: number | null; turns: number }>(
        db,
        sql`WITH steps AS (
              SELECT t.turn_no, s.forked_at_turn, (t.decision->>'choiceIndex')::int AS chosen,
                     lag(t.view->>'position') OVER w AS position, lag(t.view->'choices') OVER w AS offered
              FROM ${turns} t JOIN ${sampled(scope)} s ON s.id = t.session_id
              WHERE t.state = 'active'
              WINDOW w AS (PARTITION BY t.session_id ORDER BY t.turn_no)),
            offers AS (
              SELECT position, chosen, (SELECT jsonb_agg(jsonb_build_object('index', c->'index', 'text', c->'text')) FROM jsonb_array_elements(offered) c) AS offered
              FROM steps
              WHERE turn_no > coalesce(forked_at_turn, 0) AND jsonb_typeof(offered) = 'array' AND jsonb_array_length(offered) > 0)
            SELECT position, offered, chosen, count(*)::int AS turns FROM offers
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT ${MAX_GROUPS}`,
      );
      return rows.map((r) => ({ position: r.position, offered: r.offered ?? [], chosen: r.chosen === null ? null : num(r.chosen), turns: num(r.turns) }));
    },
  };
}
