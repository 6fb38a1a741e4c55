/**
 * Stop a turn: `POST /api/sessions/{id}/cancel` aborts the session's queued, running or retrying
 * turn (its model calls stop) and answers with how it ended.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent, TaskStateSchema } from '../schemas.js';

const CancelledTaskSchema = z
  .object({
    task_id: z.string(),
    status: TaskStateSchema.openapi({
      description:
        '`failed` (with `error.code` `cancelled`) once the turn stopped; `completed` when it committed before the cancel landed (the turn stands). Rarely still `queued`/`processing`/`retrying` when it did not settle within a few seconds: its `turn.failed` follows on the event stream.',
    }),
    error: ErrorSchema.shape.error.nullable().openapi({ description: 'How the turn failed: `{code: "cancelled", …}`' }),
  })
  .openapi('CancelledTask');

const cancelRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/cancel',
  tags: ['turns'],
  summary: "Stop the session's queued, running or retrying turn",
  description:
    'The turn fails with `cancelled` and is never retried: watchers get `turn.failed`, nothing is committed, and the session takes a new action as soon as this answers.',
  request: { params: IdParamSchema },
  responses: {
    200: jsonContent(CancelledTaskSchema, 'How the turn ended'),
    404: jsonContent(ErrorSchema, 'Unknown session'),
    409: jsonContent(ErrorSchema, 'No turn is queued or running (no_turn_in_progress)'),
    ...commonErrors,
  },
});

export function registerCancelRoute(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(cancelRoute, async (c) => {
    const task = await deps.service.cancelTurn(c.get('userId'), c.req.valid('param').id);
    c.get('logger').info({ taskId: task.taskId, sessionId: task.sessionId, status: task.state }, 'turn cancel');
    return c.json({ task_id: task.taskId, status: task.state, error: task.error }, 200);
  });
}
