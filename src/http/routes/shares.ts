/**
 * Read-only links to a session's transcript: the owner shares (`POST /api/sessions/:id/share`) and
 * revokes (`DELETE`); anyone with the link reads it (`GET /api/shared/:token`, no sign-in), as the
 * web client shows it at `/s/:token`. See domain/share-service.ts.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { ActionKindSchema, commonErrors, ErrorSchema, IdParamSchema, jsonContent } from '../schemas.js';

const unknownSession = jsonContent(ErrorSchema, 'Unknown session');
const ChoiceRef = z.object({ index: z.number().int(), text: z.string() });

const SharedTranscriptSchema = z
  .object({
    story_title: z.string(),
    ended: z.boolean(),
    turns: z.array(
      z.object({
        turn_no: z.number().int(),
        action: ActionKindSchema,
        input: z.string(),
        narration: z.string(),
        passage: z.string().openapi({ description: 'The ink passage the turn led to (empty when it took no choice)' }),
        tags: z.array(z.string()),
        choice_taken: ChoiceRef.nullable(),
        choices_offered: z.array(ChoiceRef),
      }),
    ),
  })
  .openapi('SharedTranscript');

const shareRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/share',
  tags: ['sharing'],
  summary: 'A read-only link to the session’s transcript',
  description:
    'The token is shown once (only its hash is stored). A session has one live link: sharing again gives a new token and the previous link stops working.',
  request: { params: IdParamSchema },
  responses: {
    201: jsonContent(z.object({ token: z.string(), url: z.string().openapi({ description: 'The web client’s page for the link, on the origin the request came to' }), created_at: z.string() }), 'Shared'),
    404: unknownSession,
    ...commonErrors,
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/share',
  tags: ['sharing'],
  summary: 'Whether the session has a live link (the token itself cannot be shown again)',
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(z.object({ shared: z.boolean(), created_at: z.string().nullable() }), 'Status'), 404: unknownSession, ...commonErrors },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/api/sessions/{id}/share',
  tags: ['sharing'],
  summary: 'Revoke the session’s link at once (none: nothing happens)',
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Revoked' }, 404: unknownSession, ...commonErrors },
});

const readRoute = createRoute({
  method: 'get',
  path: '/api/shared/{token}',
  tags: ['sharing'],
  summary: 'A shared transcript, without signing in: passages, inputs, choices offered and taken, tags',
  description: 'Never memories, cards, traces or who played. Rate-limited per address (`RATE_LIMIT_SHARED_PER_MINUTE_PER_IP`).',
  security: [],
  request: { params: z.object({ token: z.string().min(1).max(200).openapi({ param: { name: 'token', in: 'path' } }) }) },
  responses: {
    200: jsonContent(SharedTranscriptSchema, 'The transcript'),
    404: jsonContent(ErrorSchema, 'No such link, or it was revoked'),
    429: jsonContent(ErrorSchema, 'Too many reads from this address'),
    400: commonErrors[400],
  },
});

export function registerShareRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const shares = deps.service.shares;

  app.openapi(shareRoute, async (c) => {
    const { token, createdAt } = await shares.share(c.get('userId'), c.req.valid('param').id, c.get('requestId'));
    const url = `${new URL(c.req.url).origin}/s/${token}`;
    return c.json({ token, url, created_at: createdAt.toISOString() }, 201);
  });

  app.openapi(statusRoute, async (c) => {
    const { sharedAt } = await shares.status(c.get('userId'), c.req.valid('param').id);
    return c.json({ shared: sharedAt !== null, created_at: sharedAt?.toISOString() ?? null }, 200);
  });

  app.openapi(revokeRoute, async (c) => {
    await shares.revoke(c.get('userId'), c.req.valid('param').id, c.get('requestId'));
    return c.body(null, 204);
  });

  app.openapi(readRoute, async (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.json(await shares.read(c.req.valid('param').token), 200);
  });
}
