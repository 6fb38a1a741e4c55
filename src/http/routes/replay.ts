/**
 * Deterministic replay of a session's recorded turns (the session's owner, or an admin):
 * `POST /api/sessions/{id}/replay` re-runs them with the recorded model answers (or, what-if, on
 * another story version or with today's models) and `GET /api/sessions/{id}/replay-bundle` gives
 * the file `mock-drama replay bundle.json` replays offline. Replays never change the session.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../domain/audit.js';
import { assertReplayAccess, replayBundle, replaySession, whatIfSession } from '../../domain/replay-service.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent } from '../schemas.js';

const ReplayRequestSchema = z
  .object({
    from: z.number().int().min(1).optional().openapi({ description: 'First turn to replay (default: the first recorded)' }),
    to: z.number().int().min(1).optional().openapi({ description: 'Last turn to replay (default: the last)' }),
    story_version: z.union([z.string().min(1).max(100), z.number().int().min(1)]).optional().openapi({ description: "What-if: another version of the session's story, by number or hash" }),
    live: z.boolean().optional().openapi({ description: "What-if: call today's configured models instead of the recorded answers" }),
  })
  .strict()
  .openapi('ReplayRequest');

const ReplayReportSchema = z
  .object({
    turns: z.number().int(),
    identical: z.boolean(),
    first_divergence: z.object({ turn: z.number().int(), field: z.string(), expected: z.unknown(), actual: z.unknown() }).nullable(),
  })
  .openapi('ReplayReport');

const WhatIfReportSchema = z
  .object({
    turns: z.number().int(),
    story_version: z.string(),
    live: z.boolean(),
    first_difference: z.number().int().nullable(),
    diff: z.array(
      z.object({
        turn: z.number().int(),
        choice: z.object({ recorded: z.string().nullable(), replayed: z.string().nullable() }),
        variables: z.array(z.object({ name: z.string(), recorded: z.unknown(), replayed: z.unknown() })),
        passage: z.object({ recorded: z.string(), replayed: z.string() }),
        differs: z.boolean(),
        error: z.string().optional(),
      }),
    ),
  })
  .openapi('WhatIfReport');

const replayRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/replay',
  tags: ['sessions'],
  summary: 'Re-run recorded turns without a model and compare; or what-if on another story version or with live models',
  description:
    'Plain: `{turns, identical, first_divergence}`. With `story_version` or `live`: a per-turn diff (choice taken, variables changed, passage text). The session is never changed. Owner or admin.',
  request: { params: IdParamSchema, body: { content: { 'application/json': { schema: ReplayRequestSchema } }, required: false } },
  responses: {
    200: jsonContent(z.union([ReplayReportSchema, WhatIfReportSchema]), 'The replay report, or the what-if diff'),
    404: jsonContent(ErrorSchema, 'Unknown session (or story version)'),
    ...commonErrors,
  },
});

const BundleSchema = z
  .object({ format: z.string(), stories: z.array(z.record(z.string(), z.unknown())), turns: z.array(z.record(z.string(), z.unknown())) })
  .openapi('ReplayBundle');

const bundleRoute = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/replay-bundle',
  tags: ['sessions'],
  summary: 'One JSON file to replay the session offline (`mock-drama replay bundle.json`): story versions and turn recordings, no user ids, no secrets',
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(BundleSchema, 'The bundle'), 404: jsonContent(ErrorSchema, 'Unknown session'), ...commonErrors },
});

export function registerReplayRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const viewerOf = (c: { get(key: 'principal'): { userId: string; admin: boolean } }) => ({ userId: c.get('principal').userId, admin: c.get('principal').admin });

  app.openapi(replayRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json') ?? {};
    await assertReplayAccess(deps.service, viewerOf(c), id);
    await audit(deps.service.deps.store, c.get('principal').userId, 'replay.run', `session:${id}`, c.get('requestId'));
    const range = { ...(body.from !== undefined ? { from: body.from } : {}), ...(body.to !== undefined ? { to: body.to } : {}), ...(deps.limits.maxReplayTurns ? { maxTurns: deps.limits.maxReplayTurns } : {}) };
    if (body.story_version !== undefined || body.live) {
      const report = await whatIfSession(deps.service.deps, id, range, { ...(body.story_version !== undefined ? { storyVersion: String(body.story_version) } : {}), live: body.live === true });
      return c.json(report, 200);
    }
    return c.json(await replaySession(deps.service.deps, id, range), 200);
  });

  app.openapi(bundleRoute, async (c) => {
    const { id } = c.req.valid('param');
    await assertReplayAccess(deps.service, viewerOf(c), id);
    const bundle = await replayBundle(deps.service.deps, id);
    c.header('Content-Disposition', `attachment; filename="replay-${id.replace(/[^\w-]/g, '')}.json"`);
    return c.json(bundle as unknown as z.infer<typeof BundleSchema>, 200);
  });
}
