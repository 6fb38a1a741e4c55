/**
 * Time controls: undo, redo, retry (play the last turn again) and fork (a new session from any
 * turn). Every one answers `409 turn_in_progress` while the session has a turn queued or running.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { ActionKindSchema, commonErrors, ErrorSchema, IdParamSchema, jsonContent, SessionSchema, TurnSchema } from '../schemas.js';
import { toApiSession, toApiTurn } from '../wire.js';

const unknownSession = jsonContent(ErrorSchema, 'Unknown session');

const undoRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/undo',
  tags: ['timeline'],
  summary: 'Go back to the state after the previous turn; the undone turn can be redone',
  request: { params: IdParamSchema },
  responses: {
    200: jsonContent(SessionSchema, 'The session after the undo'),
    404: unknownSession,
    409: jsonContent(ErrorSchema, 'A turn is in progress (turn_in_progress), or the session is at its opening (nothing_to_undo)'),
    ...commonErrors,
  },
});

const redoRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/redo',
  tags: ['timeline'],
  summary: 'Re-apply the next undone turn',
  description: 'A new action after an undo discards the undone turns: they can no longer be redone.',
  request: { params: IdParamSchema },
  responses: {
    200: jsonContent(SessionSchema, 'The session after the redo'),
    404: unknownSession,
    409: jsonContent(ErrorSchema, 'A turn is in progress (turn_in_progress), or there is nothing to redo (nothing_to_redo)'),
    ...commonErrors,
  },
});

const retryBody = z
  .object({
    user_input: z.string().optional().openapi({ description: 'The edited action text (default: the last turn\'s); capped at MAX_INPUT_CHARS' }),
    action: ActionKindSchema.optional().openapi({ description: "The edited kind of action (default: the last turn's)" }),
  })
  .openapi('RetryEdit');

const retryRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/retry',
  tags: ['timeline'],
  summary: 'Play the last turn again, as it was or with an edited input and action',
  description:
    'The last turn is kept as a `replaced` alternative (see `GET …/turns?include=all`), the session goes back to the turn before, and the turn is queued again as a new task, as with POST /api/story/action. Without a body the same input and action are played; `user_input` and `action` replace them (checked as a new action\'s are).',
  request: {
    params: IdParamSchema,
    body: { content: { 'application/json': { schema: retryBody } }, required: false },
  },
  responses: {
    202: jsonContent(z.object({ task_id: z.string(), status: z.literal('processing') }), 'Accepted'),
    404: unknownSession,
    409: jsonContent(ErrorSchema, 'A turn is in progress (turn_in_progress), or the session is at its opening (nothing_to_retry)'),
    429: jsonContent(ErrorSchema, 'Too many actions (a retry counts as one; rate_limited, with a Retry-After header), or the daily token budget is spent (budget_exceeded)'),
    ...commonErrors,
  },
});

const forkRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/fork',
  tags: ['timeline'],
  summary: 'A new session copied from this one as it was after turn `turn_no`',
  description:
    "The copy gets that turn's story state, the turns up to it, their memories and the session's own cards, and counts against your session quota. The source session does not change.",
  request: {
    params: IdParamSchema,
    body: { content: { 'application/json': { schema: z.object({ turn_no: z.number().int().min(0) }) } }, required: true },
  },
  responses: {
    201: jsonContent(z.object({ session_id: z.string(), session: SessionSchema }), 'Forked'),
    ...commonErrors,
    400: jsonContent(ErrorSchema, 'Malformed request, or turn_no is past the session’s current turn'),
    403: jsonContent(ErrorSchema, 'The session quota is full'),
    404: unknownSession,
    409: jsonContent(ErrorSchema, 'A turn is in progress (turn_in_progress)'),
  },
});

const editNarrationRoute = createRoute({
  method: 'patch',
  path: '/api/sessions/{id}/turns/{n}',
  tags: ['timeline'],
  summary: "Edit the narration of a turn on the session's timeline",
  description:
    "The turn's `response` becomes the new text; the model's text stays in `original_narration` (`edited: true`). Later turns' history uses the edited text. Watchers get `timeline.changed` with reason `edit`.",
  request: {
    params: z.object({ id: z.string().min(1).max(100), n: z.coerce.number().int().min(0) }),
    body: { content: { 'application/json': { schema: z.object({ narration: z.string().openapi({ description: 'The new text, at most 20,000 characters' }) }).openapi('NarrationEdit') } }, required: true },
  },
  responses: {
    200: jsonContent(TurnSchema, 'The edited turn'),
    ...commonErrors,
    400: jsonContent(ErrorSchema, 'Malformed request, or an empty narration'),
    404: jsonContent(ErrorSchema, 'Unknown session, or no such turn on its timeline'),
    409: jsonContent(ErrorSchema, 'A turn is in progress (turn_in_progress)'),
    413: jsonContent(ErrorSchema, 'The narration is over 20,000 characters (payload_too_large)'),
  },
});

export function registerTimelineRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const timeline = deps.service.timeline;

  app.openapi(undoRoute, async (c) => {
    const session = await timeline.undo(c.get('userId'), c.req.valid('param').id);
    return c.json(toApiSession(session), 200);
  });

  app.openapi(redoRoute, async (c) => {
    const session = await timeline.redo(c.get('userId'), c.req.valid('param').id);
    return c.json(toApiSession(session), 200);
  });

  app.openapi(retryRoute, async (c) => {
    // The body is optional: without one (no JSON content type), nothing was validated.
    const edit: z.infer<typeof retryBody> = c.req.valid('json') ?? {};
    const task = await timeline.retry(c.get('userId'), c.req.valid('param').id, {
      ...(edit.user_input !== undefined ? { input: edit.user_input } : {}),
      ...(edit.action !== undefined ? { action: edit.action } : {}),
    });
    c.get('logger').info({ taskId: task.taskId, sessionId: task.sessionId }, 'retry accepted');
    return c.json({ task_id: task.taskId, status: 'processing' as const }, 202);
  });

  app.openapi(editNarrationRoute, async (c) => {
    const { id, n } = c.req.valid('param');
    const turn = await timeline.editNarration(c.get('userId'), id, n, c.req.valid('json').narration);
    return c.json(toApiTurn(turn), 200);
  });

  app.openapi(forkRoute, async (c) => {
    const session = await timeline.fork(c.get('userId'), c.req.valid('param').id, c.req.valid('json').turn_no);
    return c.json({ session_id: session.id, session: toApiSession(session) }, 201);
  });
}
