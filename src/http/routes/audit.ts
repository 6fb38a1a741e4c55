/**
 * `GET /api/admin/audit`: the audit log, newest first (admins; behind requireModerator, which the
 * moderation routes install for `/api/admin/*`). There is no route that edits or deletes entries.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AUDIT_ACTIONS } from '../../domain/ports/audit-store.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, jsonContent } from '../schemas.js';
import { MODERATION_PATH } from './moderation.js';

const AuditEntrySchema = z
  .object({ id: z.number().int(), actor: z.string(), action: z.enum(AUDIT_ACTIONS), target: z.string(), request_id: z.string().nullable(), created_at: z.string() })
  .openapi('AuditEntry');

const listAuditRoute = createRoute({
  method: 'get',
  path: `${MODERATION_PATH}/audit`,
  tags: ['admin'],
  summary: 'The audit log: API keys created and revoked, stories hidden, users suspended and reinstated, sessions deleted, shares, members removed, replays',
  request: {
    query: z.object({
      actor: z.string().min(1).max(200).optional(),
      action: z.enum(AUDIT_ACTIONS).optional(),
      since: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Only entries at or after this time (ISO 8601)' }),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
  },
  responses: { 200: jsonContent(z.object({ entries: z.array(AuditEntrySchema) }), 'Entries, newest first'), 403: jsonContent(ErrorSchema, 'Not an admin'), ...commonErrors },
});

export function registerAuditRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  if (!deps.accounts?.moderation) return;
  app.openapi(listAuditRoute, async (c) => {
    const { actor, action, since, limit } = c.req.valid('query');
    const entries = await deps.service.deps.store.audit.list({ ...(actor ? { actor } : {}), ...(action ? { action } : {}), ...(since ? { since: new Date(since) } : {}), limit });
    return c.json({ entries: entries.map((e) => ({ id: e.id, actor: e.actor, action: e.action, target: e.target, request_id: e.requestId, created_at: e.createdAt.toISOString() })) }, 200);
  });
}
