import { timingSafeEqual } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { DramaError } from '../../domain/errors.js';
import type { AppEnv } from '../app-context.js';
import type { TokenAuth } from '../auth/token-auth.js';

export const ADMIN_QUEUES_PATH = '/admin/queues';
const COOKIE = 'md_admin';

/** Compare secrets in constant time. */
export function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Admin auth: `Authorization: Bearer <ADMIN_TOKEN>`, or an access token whose user is an admin
 * (`app_metadata.role === "admin"`, or `role === "service_role"`), or open
 * `/admin/queues?token=<either>` once in a browser, which sets an HttpOnly cookie scoped to /admin
 * (a JWT in the cookie is verified again on every request, so it stops working when it expires).
 */
export function requireAdmin(adminToken: string | undefined, auth?: TokenAuth): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const query = c.req.query('token');
    const cookie = getCookie(c, COOKIE);
    const presented = header ?? query ?? cookie;
    if (!presented) throw new DramaError('unauthorized', 'Admin token required');
    if (!(adminToken && same(presented, adminToken))) {
      const principal = auth ? await auth.verify(presented).catch(() => null) : null;
      if (!principal) throw new DramaError('unauthorized', 'Admin token required');
      if (!principal.admin) throw new DramaError('forbidden', 'This account is not an admin');
    }
    if (query) setCookie(c, COOKIE, query, { httpOnly: true, sameSite: 'Strict', path: '/admin', maxAge: 8 * 3600 });
    await next();
  };
}

/** Mount the queue dashboard behind admin auth; without a dashboard, or any way to be admin, it is not mounted. */
export function registerAdminRoutes(app: OpenAPIHono<AppEnv>, dashboard: Hono | undefined, adminToken: string | undefined, auth?: TokenAuth): void {
  if (!dashboard || (!adminToken && !auth)) return;
  app.use(`${ADMIN_QUEUES_PATH}/*`, requireAdmin(adminToken, auth));
  app.use(ADMIN_QUEUES_PATH, requireAdmin(adminToken, auth));
  app.route(ADMIN_QUEUES_PATH, dashboard);
}
