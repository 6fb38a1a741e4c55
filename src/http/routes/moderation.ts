/**
 * `/api/admin/…`: moderation for admins (ADMIN_TOKEN, or an access token with the admin role; see
 * requireModerator). Hide and unhide stories, list every story, suspend and reinstate users. Each
 * action is logged as an audit line by ModerationService.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { DramaError } from '../../domain/errors.js';
import type { Suspension } from '../../domain/ports/suspension-store.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { readToken } from '../middleware.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent, StorySchema } from '../schemas.js';
import { toApiStory } from '../wire.js';
import { same } from './admin.js';

export const MODERATION_PATH = '/api/admin';

/**
 * Admins only: `Authorization: Bearer <ADMIN_TOKEN>` (the moderator is then `admin-token`), or a
 * credential whose user is an admin (`app_metadata.role` admin, or `role` service_role). API keys
 * are never admins. Anyone else gets 403, and no credential 401.
 */
export function requireModerator(deps: HttpDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const credential = readToken(c.req.header('authorization'), undefined, c.req.header('x-api-key'));
    if (!credential) throw new DramaError('unauthorized', 'Missing bearer token');
    const adminToken = deps.admin?.token;
    const principal =
      adminToken && same(credential, adminToken) ? { userId: 'admin-token', expiresAt: null, admin: true, source: 'admin-token' } : await deps.auth.verify(credential);
    if (!principal.admin) throw new DramaError('forbidden', 'This account is not an admin');
    c.set('userId', principal.userId);
    c.set('principal', principal);
    c.set('logger', c.get('logger').child({ moderator: principal.userId }));
    await next();
  };
}

const SuspensionSchema = z
  .object({ user_id: z.string(), reason: z.string(), suspended_by: z.string(), created_at: z.string() })
  .openapi('Suspension');

const UserParamSchema = z.object({ user_id: z.string().min(1).max(200).openapi({ param: { name: 'user_id', in: 'path' } }) });

const adminErrors = { ...commonErrors, 403: jsonContent(ErrorSchema, 'Not an admin') };

const listStoriesRoute = createRoute({
  method: 'get',
  path: `${MODERATION_PATH}/stories`,
  tags: ['admin'],
  summary: 'Every story, private and hidden ones included, with its owner',
  request: {
    query: z.object({
      owner_id: z.string().min(1).max(200).optional(),
      hidden: z.enum(['true', 'false']).optional(),
    }),
  },
  responses: { 200: jsonContent(z.object({ stories: z.array(StorySchema) }), 'Stories'), ...adminErrors },
});

const hideBody = z.object({ reason: z.string().max(500).optional() });

const hideRoute = createRoute({
  method: 'put',
  path: `${MODERATION_PATH}/stories/{id}/hidden`,
  tags: ['admin'],
  summary: 'Hide a story: only its owner and admins see it, and no new session can start on it (running ones go on)',
  request: { params: IdParamSchema, body: { content: { 'application/json': { schema: hideBody } }, required: false } },
  responses: { 200: jsonContent(StorySchema, 'The story, now hidden'), 404: jsonContent(ErrorSchema, 'Unknown story'), ...adminErrors },
});

const unhideRoute = createRoute({
  method: 'delete',
  path: `${MODERATION_PATH}/stories/{id}/hidden`,
  tags: ['admin'],
  summary: 'Show a hidden story again',
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(StorySchema, 'The story, visible again'), 404: jsonContent(ErrorSchema, 'Unknown story'), ...adminErrors },
});

const listSuspensionsRoute = createRoute({
  method: 'get',
  path: `${MODERATION_PATH}/suspensions`,
  tags: ['admin'],
  summary: 'Suspended users, newest first',
  responses: { 200: jsonContent(z.object({ suspensions: z.array(SuspensionSchema) }), 'Suspensions'), ...adminErrors },
});

const suspendRoute = createRoute({
  method: 'put',
  path: `${MODERATION_PATH}/users/{user_id}/suspension`,
  tags: ['admin'],
  summary: "Suspend a user: every request with their tokens or API keys gets 403 account_suspended (other web servers follow within SUSPENSION_CACHE_MS)",
  request: { params: UserParamSchema, body: { content: { 'application/json': { schema: z.object({ reason: z.string().trim().min(1).max(500) }) } }, required: true } },
  responses: { 200: jsonContent(SuspensionSchema, 'Suspended'), ...adminErrors },
});

const unsuspendRoute = createRoute({
  method: 'delete',
  path: `${MODERATION_PATH}/users/{user_id}/suspension`,
  tags: ['admin'],
  summary: 'Lift a suspension',
  request: { params: UserParamSchema },
  responses: { 204: { description: 'Reinstated' }, 404: jsonContent(ErrorSchema, 'The user is not suspended'), ...adminErrors },
});

function toApiSuspension(s: Suspension) {
  return { user_id: s.userId, reason: s.reason, suspended_by: s.suspendedBy, created_at: s.createdAt.toISOString() };
}

export function registerModerationRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const moderation = deps.accounts?.moderation;
  if (!moderation) return;
  app.use(`${MODERATION_PATH}/*`, requireModerator(deps));

  app.openapi(listStoriesRoute, async (c) => {
    const { owner_id, hidden } = c.req.valid('query');
    const stories = await moderation.listStories({ ...(owner_id ? { ownerId: owner_id } : {}), ...(hidden ? { hidden: hidden === 'true' } : {}) });
    return c.json({ stories: stories.map((s) => toApiStory(s, false, true)) }, 200);
  });

  app.openapi(hideRoute, async (c) => {
    const body = c.req.valid('json') as z.infer<typeof hideBody> | undefined;
    const story = await moderation.setHidden(c.get('userId'), c.req.valid('param').id, true, body?.reason, c.get('requestId'));
    return c.json(toApiStory(story, false, true), 200);
  });

  app.openapi(unhideRoute, async (c) => {
    const story = await moderation.setHidden(c.get('userId'), c.req.valid('param').id, false, undefined, c.get('requestId'));
    return c.json(toApiStory(story, false, true), 200);
  });

  app.openapi(listSuspensionsRoute, async (c) => {
    return c.json({ suspensions: (await moderation.listSuspensions()).map(toApiSuspension) }, 200);
  });

  app.openapi(suspendRoute, async (c) => {
    const suspension = await moderation.suspend(c.get('userId'), c.req.valid('param').user_id, c.req.valid('json').reason, c.get('requestId'));
    return c.json(toApiSuspension(suspension), 200);
  });

  app.openapi(unsuspendRoute, async (c) => {
    await moderation.unsuspend(c.get('userId'), c.req.valid('param').user_id, c.get('requestId'));
    return c.body(null, 204);
  });
}
