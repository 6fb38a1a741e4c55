/**
 * The author's analytics of a story: numbers from real play, as JSON or CSV (story owner or admin).
 * What each number means is in domain/story-analytics.ts and the schema's descriptions.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { StoryAnalytics } from '../../domain/story-analytics.js';
import { analyticsCsv } from '../analytics-csv.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent } from '../schemas.js';

const int = z.number().int();
const CostSchema = z.object({ tokens: z.number(), cost_usd: z.number() });

export const StoryAnalyticsSchema = z
  .object({
    story_id: z.string(),
    version: int.nullable().openapi({ description: 'The version the numbers are limited to (?version=n); null: every version' }),
    sessions: z.object({
      started: int,
      finished: int.openapi({ description: 'Sessions whose story reached an end (status ended)' }),
      forks: int.openapi({ description: 'Sessions forked from another (counted in started too)' }),
    }),
    turns: z.object({
      played: int.openapi({ description: 'Turns on the sessions’ timelines (active), without openings and turns a fork copied' }),
      alternatives: int.openapi({ description: 'Undone, retried or discarded takes: not turns played, but model calls all the same' }),
      median_to_ending: z.number().nullable().openapi({ description: 'Median turn number of finished sessions' }),
    }),
    endings: z.array(z.object({ ending: z.string().openapi({ description: 'The final passage’s `# ending: name` tag, else the knot or knot.stitch the story ended in' }), position: z.string().nullable(), sessions: int })),
    coverage: z.object({
      places: z.array(z.object({ path: z.string(), kind: z.enum(['knot', 'stitch']), visits: int, sessions: int, in_story: z.boolean().openapi({ description: 'False: a place of another version, not counted in the share' }) })),
      knots: int,
      knots_never_reached: int,
      never_reached_share: z.number(),
    }),
    choice_points: z.array(
      z.object({
        position: z.string().openapi({ description: 'The knot or knot.stitch where the choices are offered' }),
        turns: int.openapi({ description: 'Turns played there' }),
        choices: z.array(z.object({ text: z.string().nullable().openapi({ description: 'null: the turn took no choice' }), taken: int, share: z.number() })),
      }),
    ),
    judge: z.object({ turns: int, repair_rate: z.number(), fallback_rate: z.number() }).openapi({ description: 'Over every committed take (alternatives too): each was judged' }),
    usage: z.object({
      tokens: z.number(),
      cost_usd: z.number(),
      per_turn: CostSchema.openapi({ description: 'Over every committed take (turns played and alternatives)' }),
      per_session: CostSchema,
      by_turn: z.array(z.object({ turn_no: int, turns: int, tokens: z.number(), cost_usd: z.number() })).openapi({ description: 'Mean tokens and cost of the turns played at each turn number (first 200)' }),
    }),
    sample: z.object({ sessions: int, limit: int }).openapi({ description: 'Coverage and choice points read the most recently started sessions, at most `limit`; the rest counts every session' }),
  })
  .openapi('StoryAnalytics');

const analyticsRoute = createRoute({
  method: 'get',
  path: '/api/stories/{id}/analytics',
  tags: ['stories'],
  summary: "Your story's numbers from real play: sessions, endings, knot coverage, choice shares, judge rates, tokens and cost",
  request: {
    params: IdParamSchema,
    query: z.object({
      version: z.coerce.number().int().min(1).optional().openapi({ description: 'Only sessions on this version (1, 2, 3…); default every version' }),
      format: z.enum(['json', 'csv']).optional().openapi({ description: 'csv: one row per number (section,name,detail,value,share), as a download' }),
    }),
  },
  responses: {
    200: { content: { 'application/json': { schema: StoryAnalyticsSchema }, 'text/csv': { schema: z.string() } }, description: 'The numbers' },
    403: jsonContent(ErrorSchema, 'Not your story'),
    404: jsonContent(ErrorSchema, 'Unknown story, or no such version'),
    401: commonErrors[401],
    400: commonErrors[400],
  },
});

function toApiAnalytics(a: StoryAnalytics): z.infer<typeof StoryAnalyticsSchema> {
  const cost = (c: { tokens: number; costUsd: number }) => ({ tokens: c.tokens, cost_usd: c.costUsd });
  return {
    story_id: a.storyId,
    version: a.version,
    sessions: { started: a.sessions.started, finished: a.sessions.finished, forks: a.sessions.forks },
    turns: { played: a.turns.played, alternatives: a.turns.alternatives, median_to_ending: a.sessions.medianTurnsToEnding },
    endings: a.endings,
    coverage: {
      places: a.coverage.places.map(({ inStory, ...p }) => ({ ...p, in_story: inStory })),
      knots: a.coverage.knots,
      knots_never_reached: a.coverage.knotsNeverReached,
      never_reached_share: a.coverage.neverReachedShare,
    },
    choice_points: a.choicePoints,
    judge: { turns: a.judge.turns, repair_rate: a.judge.repairRate, fallback_rate: a.judge.fallbackRate },
    usage: { tokens: a.turns.tokens, cost_usd: a.turns.costUsd, per_turn: cost(a.usage.perTurn), per_session: cost(a.usage.perSession), by_turn: a.usage.byTurnNumber.map(({ turnNo, costUsd, ...u }) => ({ turn_no: turnNo, cost_usd: costUsd, ...u })) },
    sample: a.sample,
  };
}

export function registerStoryAnalyticsRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(analyticsRoute, async (c) => {
    const { version, format } = c.req.valid('query');
    const id = c.req.valid('param').id;
    const analytics = await deps.service.analytics.storyAnalytics(c.get('principal'), id, version === undefined ? {} : { version });
    if (format === 'csv') {
      const name = `story-${id.replace(/[^\w-]/g, '_')}-analytics${version === undefined ? '' : `-v${version}`}.csv`;
      return c.body(analyticsCsv(analytics), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' });
    }
    return c.json(toApiAnalytics(analytics), 200);
  });
}
