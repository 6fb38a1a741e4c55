import { timingSafeEqual } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { DramaError } from '../../domain/errors.js';
import type { AppEnv } from '../app-context.js';

export const ADMIN_QUEUES_PATH = '/admin/queues';
const COOKIE = 'md_admin';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Admin auth: `Authorization: Bearer <ADMIN_TOKEN>`, or open `/admin/queues?token=<ADMIN_TOKEN>`
 * once in a browser, which sets an HttpOnly cookie scoped to /admin.
 */
export function requireAdmin(adminToken: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const query = c.req.query('token');
    const cookie = getCookie(c, COOKIE);
    const presented = header ?? query ?? cookie;
    if (!presented || !same(presented, adminToken)) throw new DramaError('unauthorized', 'Admin token required');
    if (query) setCookie(c, COOKIE, query, { httpOnly: true, sameSite: 'Strict', path: '/admin', maxAge: 8 * 3600 });
    await next();
  };
}

/** Mount the queue dashboard behind admin auth; without an admin token it is not mounted at all. */
export function registerAdminRoutes(app: OpenAPIHono<AppEnv>, dashboard: Hono | undefined, adminToken: string | undefined): void {
  if (!dashboard || !adminToken) return;
  app.use(`${ADMIN_QUEUES_PATH}/*`, requireAdmin(adminToken));
  app.use(ADMIN_QUEUES_PATH, requireAdmin(adminToken));
  app.route(ADMIN_QUEUES_PATH, dashboard);
}
