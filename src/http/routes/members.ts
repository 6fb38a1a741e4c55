/**
 * Shared sessions: invites, joining, the members with their presence, leaving and removal, and
 * a member's display name. Presence comes from the socket slots: a member is online while one of
 * their WebSocket connections to the session is open, on any web server.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { MAX_DISPLAY_NAME_CHARS, MAX_INVITE_SECONDS } from '../../domain/member-service.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { presenceKey } from '../stream/connections.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent } from '../schemas.js';

const RoleSchema = z.enum(['player', 'spectator']).openapi('MemberRole');
const unknownSession = jsonContent(ErrorSchema, 'Unknown session, or not one of yours');

const inviteRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/invites',
  tags: ['members'],
  summary: 'Invite people to play or watch your session',
  description: 'The code is shown once (only its hash is stored). Send the `url` to whoever you invite; they join with POST /api/invites/{code}/join.',
  request: {
    params: IdParamSchema,
    body: {
      content: {
        'application/json': {
          schema: z.object({
            role: RoleSchema,
            max_uses: z.number().int().min(1).max(1000).optional().openapi({ description: 'How many people may join with it (default: no limit)' }),
            expires_in_s: z.number().int().min(60).max(MAX_INVITE_SECONDS).optional().openapi({ description: 'Seconds until it expires (default and at most 30 days)' }),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    201: jsonContent(z.object({ code: z.string(), url: z.string(), role: RoleSchema, expires_at: z.string() }).openapi('Invite'), 'The invite'),
    ...commonErrors,
    404: unknownSession,
  },
});

const joinRoute = createRoute({
  method: 'post',
  path: '/api/invites/{code}/join',
  tags: ['members'],
  summary: 'Join a shared session with an invite code',
  description: 'Joining again, or the owner joining, changes nothing and answers the same.',
  request: { params: z.object({ code: z.string().min(1).max(200).openapi({ param: { name: 'code', in: 'path' } }) }) },
  responses: {
    200: jsonContent(z.object({ session_id: z.string(), role: z.enum(['owner', 'player', 'spectator']) }), 'Joined (or already in)'),
    ...commonErrors,
    404: jsonContent(ErrorSchema, 'No such invite'),
    409: jsonContent(ErrorSchema, 'The session has MAX_MEMBERS_PER_SESSION people, its owner included (session_full)'),
    410: jsonContent(ErrorSchema, 'The invite expired (invite_expired) or was used as often as it allows (invite_used_up)'),
  },
});

const MemberSchema = z
  .object({
    user_id: z.string(),
    display_name: z.string().nullable(),
    role: z.enum(['owner', 'player', 'spectator']),
    online: z.boolean().openapi({ description: 'A WebSocket of theirs is open on this session' }),
  })
  .openapi('Member');

const listRoute = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/members',
  tags: ['members'],
  summary: 'Who is in the session: its owner, then its members as they joined',
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(z.object({ members: z.array(MemberSchema) }), 'The people'), ...commonErrors, 404: unknownSession },
});

const memberParams = z.object({ id: z.string().min(1).max(100), user_id: z.string().min(1).max(200) });

const removeRoute = createRoute({
  method: 'delete',
  path: '/api/sessions/{id}/members/{user_id}',
  tags: ['members'],
  summary: 'Remove a member (the owner), or leave (yourself)',
  description: "Their access ends at once and their sockets on the session close (4004); watchers get `member.left`.",
  request: { params: memberParams },
  responses: {
    204: { description: 'Removed' },
    ...commonErrors,
    403: jsonContent(ErrorSchema, 'Only the owner removes other members'),
    404: jsonContent(ErrorSchema, 'Unknown session, or no such member'),
  },
});

const renameRoute = createRoute({
  method: 'patch',
  path: '/api/sessions/{id}/members/me',
  tags: ['members'],
  summary: 'Your display name in this session',
  request: {
    params: IdParamSchema,
    body: { content: { 'application/json': { schema: z.object({ display_name: z.string().openapi({ description: `1–${MAX_DISPLAY_NAME_CHARS} characters, one line` }) }) } }, required: true },
  },
  responses: {
    200: jsonContent(z.object({ user_id: z.string(), display_name: z.string() }), 'Renamed'),
    ...commonErrors,
    400: jsonContent(ErrorSchema, 'Malformed, empty, or you are the owner'),
    404: unknownSession,
    413: jsonContent(ErrorSchema, `Over ${MAX_DISPLAY_NAME_CHARS} characters`),
  },
});

export function registerMemberRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const members = deps.service.members;
  const online = async (sessionId: string, userId: string) => ((await deps.socketSlots?.count(presenceKey(sessionId, userId))) ?? 0) > 0;

  app.openapi(inviteRoute, async (c) => {
    const body = c.req.valid('json');
    const invite = await members.createInvite(c.get('userId'), c.req.valid('param').id, {
      role: body.role,
      ...(body.max_uses !== undefined ? { maxUses: body.max_uses } : {}),
      ...(body.expires_in_s !== undefined ? { expiresInS: body.expires_in_s } : {}),
    });
    const url = new URL(`/join/${invite.code}`, c.req.url).toString();
    return c.json({ code: invite.code, url, role: invite.role, expires_at: invite.expiresAt.toISOString() }, 201);
  });

  app.openapi(joinRoute, async (c) => {
    const joined = await members.join(c.get('userId'), c.req.valid('param').code);
    return c.json({ session_id: joined.sessionId, role: joined.role }, 200);
  });

  app.openapi(listRoute, async (c) => {
    const sessionId = c.req.valid('param').id;
    const people = await members.list(c.get('userId'), sessionId);
    const withPresence = await Promise.all(people.map(async (p) => ({ user_id: p.userId, display_name: p.displayName, role: p.role, online: await online(sessionId, p.userId) })));
    return c.json({ members: withPresence }, 200);
  });

  app.openapi(removeRoute, async (c) => {
    const { id, user_id } = c.req.valid('param');
    await members.remove(c.get('userId'), id, user_id, c.get('requestId'));
    return c.body(null, 204);
  });

  app.openapi(renameRoute, async (c) => {
    const name = await members.rename(c.get('userId'), c.req.valid('param').id, c.req.valid('json').display_name);
    return c.json({ user_id: c.get('userId'), display_name: name }, 200);
  });
}
