import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { ActionKindSchema, commonErrors, ErrorSchema, jsonContent, TaskStatusSchema } from '../schemas.js';
import { toApiTask } from '../wire.js';

const actionBody = z.object({
  session_id: z.string().min(1).max(100),
  user_input: z.string().openapi({ description: "The player's words; capped at MAX_INPUT_CHARS (default 4000) characters" }),
  action: ActionKindSchema.default('do'),
});

const actionRoute = createRoute({
  method: 'post',
  path: '/api/story/action',
  tags: ['turns'],
  summary: 'Submit a player action; the turn runs in the background',
  description:
    'Watch it on WS /ws/story/{session_id} or SSE /api/sessions/{id}/events, or poll the status route. Send an Idempotency-Key header to make retries safe. ' +
    'In a shared session the turn mode decides: `free` — an action that arrives while a turn runs waits in line (`status: "queued"`, `position`) and becomes its own turn in arrival order; ' +
    '`round` — only the player whose turn it is acts (`409 not_your_turn`); `vote` — the action joins the open vote (`status: "queued"`) and every vote becomes one turn when it closes.',
  request: {
    body: { content: { 'application/json': { schema: actionBody } }, required: true },
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
  },
  responses: {
    202: jsonContent(
      z
        .object({
          task_id: z.string(),
          status: z.enum(['processing', 'queued']).openapi({ description: '`queued`: a shared session\'s action waits in line or in the open vote' }),
          position: z.number().int().min(1).optional().openapi({ description: "With `queued`: the action's 1-based place in the session's line (or among the vote's actions)" }),
        })
        .openapi('ActionAccepted'),
      'Accepted',
    ),
    403: jsonContent(ErrorSchema, 'A spectator of a shared session (spectator)'),
    404: jsonContent(ErrorSchema, 'Unknown session'),
    409: jsonContent(ErrorSchema, 'A turn is already queued or running (turn_in_progress, one-player sessions and round mode), not this player\'s turn in round mode (not_your_turn: details.user_id, details.display_name), or the story ended'),
    429: jsonContent(ErrorSchema, 'Too many actions (rate_limited, with a Retry-After header), the daily token budget is spent (budget_exceeded), or MAX_QUEUED_ACTIONS already wait in the shared session (queue_full)'),
    ...commonErrors,
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/api/story/status/{task_id}',
  tags: ['turns'],
  summary: "A task's status; result is the turn once completed, the error once failed",
  request: { params: z.object({ task_id: z.string().min(1).max(100).openapi({ param: { name: 'task_id', in: 'path' } }) }) },
  responses: { 200: jsonContent(TaskStatusSchema, 'Status'), 404: jsonContent(ErrorSchema, 'Unknown task'), ...commonErrors },
});

export function registerStoryActionRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(actionRoute, async (c) => {
    const body = c.req.valid('json');
    const task = await deps.service.submitAction({
      ownerId: c.get('userId'),
      sessionId: body.session_id,
      input: body.user_input,
      action: body.action,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    });
    c.get('logger').info({ taskId: task.taskId, sessionId: body.session_id }, 'action accepted');
    if (task.position !== undefined) return c.json({ task_id: task.taskId, status: 'queued' as const, position: task.position }, 202);
    return c.json({ task_id: task.taskId, status: 'processing' as const }, 202);
  });

  app.openapi(statusRoute, async (c) => {
    const task = await deps.service.getTask(c.req.valid('param').task_id, c.get('userId'));
    return c.json(toApiTask(task) as z.infer<typeof TaskStatusSchema>, 200);
  });
}
