import { timingSafeEqual } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Hono, type MiddlewareHandler } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import { getCookie, setCookie } from 'hono/cookie';
import { DramaError } from '../../domain/errors.js';
import type { AppEnv } from '../app-context.js';
import type { TokenAuth } from '../auth/token-auth.js';

export const ADMIN_QUEUES_PATH = '/admin/queues';
const COOKIE = 'md_admin';
/** Marks the dashboard's "no such page", answered as every other unknown route is. */
const UNMATCHED = 'x-md-dashboard-unmatched';

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

/**
 * Mount the queue dashboard behind admin auth; without a dashboard, or any way to be admin, it is
 * not mounted. The dashboard is made at its first request: Bull Board's packages cost every web
 * process ~0.1 s of CPU at start otherwise, for a page few processes ever serve.
 */
export function registerAdminRoutes(app: OpenAPIHono<AppEnv>, loadDashboard: ((basePath: string) => Promise<Hono>) | undefined, adminToken: string | undefined, auth?: TokenAuth): void {
  if (!loadDashboard || (!adminToken && !auth)) return;
  let mounted: Promise<Hono> | undefined;
  const mount = () =>
    (mounted ??= loadDashboard(ADMIN_QUEUES_PATH).then(
      (dashboard) =>
        new Hono()
          .route(ADMIN_QUEUES_PATH, dashboard)
          .notFound((c) => c.body(null, 404, { [UNMATCHED]: '1' })),
      (err: unknown) => {
        mounted = undefined; // the next request tries again
        throw err;
      },
    ));
  const serve: MiddlewareHandler<AppEnv> = async (c) => {
    const res = await (await mount()).fetch(c.req.raw, c.env);
    if (res.headers.has(UNMATCHED)) throw new DramaError('not_found', `No route for ${c.req.method} ${c.req.path}`);
    // Through the context, so what admin auth set on it (the cookie) goes out with the page.
    return c.newResponse(res.body, { status: res.status as StatusCode, headers: res.headers });
  };
  app.use(`${ADMIN_QUEUES_PATH}/*`, requireAdmin(adminToken, auth));
  app.use(ADMIN_QUEUES_PATH, requireAdmin(adminToken, auth));
  app.all(ADMIN_QUEUES_PATH, serve);
  app.all(`${ADMIN_QUEUES_PATH}/*`, serve);
}
