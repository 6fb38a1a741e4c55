/**
 * Story versions: the owner replaces a story's source (version n+1), anyone who may see the story
 * lists its versions, and a player moves a session to a newer one, carrying its ink state.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, rateLimited, ErrorSchema, IdParamSchema, jsonContent, SessionSchema, StorySchema } from '../schemas.js';
import { assetWarnings, toApiSession, toApiStory } from '../wire.js';
import { inkSource, oneSource, storySourceFields } from './stories.js';

const replaceSourceRoute = createRoute({
  method: 'put',
  path: '/api/stories/{id}/source',
  tags: ['stories'],
  summary: "Replace your story's ink: it compiles as the next version; sessions stay on theirs until upgraded, new ones start on it",
  request: {
    params: IdParamSchema,
    body: { content: { 'application/json': { schema: z.object({ title: z.string().trim().min(1).max(200).optional(), ...storySourceFields }).refine(...oneSource) } }, required: true },
  },
  responses: {
    200: jsonContent(StorySchema, 'The story at its new version (the same version when the source compiles to what it already is)'),
    403: jsonContent(ErrorSchema, 'Not your story'),
    404: jsonContent(ErrorSchema, 'Unknown story'),
    422: jsonContent(ErrorSchema, 'Compile errors (ink_compile_error), an EXTERNAL without a fallback (ink_unbound_external), or compile_timeout'),
    429: rateLimited('uploads (a new version counts as one)'),
    ...commonErrors,
  },
});

const VersionSchema = z
  .object({
    version: z.number().int().openapi({ description: '1, 2, 3… in the order the versions were stored' }),
    hash: z.string().openapi({ description: 'Content hash of the compiled story (what sessions record as story_version)' }),
    created_at: z.string(),
    sessions: z.number().int().openapi({ description: 'Sessions playing this version now' }),
  })
  .openapi('StoryVersion');

const listVersionsRoute = createRoute({
  method: 'get',
  path: '/api/stories/{id}/versions',
  tags: ['stories'],
  summary: "The story's versions, oldest first",
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(z.object({ versions: z.array(VersionSchema) }), 'Versions'), 404: jsonContent(ErrorSchema, 'Unknown story'), ...commonErrors },
});

const upgradeRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/upgrade',
  tags: ['timeline'],
  summary: 'Move the session to a newer version of its story (default: the latest), carrying its variables, visit counts and position',
  description:
    'Undone turns are discarded, and undo, retry and fork stop at this turn (earlier turns were played on the old version). Watchers get `timeline.changed` with reason `upgrade`.',
  request: {
    params: IdParamSchema,
    body: { content: { 'application/json': { schema: z.object({ version: z.number().int().min(1).optional() }) } }, required: false },
  },
  responses: {
    200: jsonContent(SessionSchema, 'The session on the new version (unchanged if it was on it already)'),
    400: jsonContent(ErrorSchema, 'An older version than the session plays, or a malformed body'),
    404: jsonContent(ErrorSchema, 'Unknown session, or the story has no such version'),
    409: jsonContent(ErrorSchema, 'The new version lacks where the session stands (upgrade_incompatible: details.missing_paths), or a turn is in progress (turn_in_progress)'),
    401: commonErrors[401],
    413: commonErrors[413],
  },
});

export function registerStoryVersionRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(replaceSourceRoute, async (c) => {
    const body = c.req.valid('json');
    const story = await deps.service.updateStorySource(c.get('principal'), c.req.valid('param').id, {
      source: inkSource(body, deps.limits.maxInkSourceBytes),
      ...(body.title !== undefined ? { title: body.title } : {}),
    });
    return c.json({ ...toApiStory(story, true, true), ...(await assetWarnings(deps, story)) }, 200);
  });

  app.openapi(listVersionsRoute, async (c) => {
    const versions = await deps.service.listStoryVersions(c.get('principal'), c.req.valid('param').id);
    return c.json({ versions: versions.map((v) => ({ version: v.versionNo, hash: v.hash, created_at: v.createdAt.toISOString(), sessions: v.sessions })) }, 200);
  });

  app.openapi(upgradeRoute, async (c) => {
    // The body is optional: without one (no JSON content type), nothing was validated.
    const body: { version?: number } = c.req.valid('json') ?? {};
    const session = await deps.service.timeline.upgrade(c.get('userId'), c.req.valid('param').id, body.version);
    return c.json(toApiSession(session), 200);
  });
}
