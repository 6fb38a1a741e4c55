import { timingSafeEqual } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { DramaError } from '../../domain/errors.js';
import type { AppEnv, HttpDeps } from '../app-context.js';

/** True when `authorization` is `Bearer <token>` (constant-time compare). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /metrics`: this process's metrics in the Prometheus text format. With METRICS_TOKEN set,
 * only `Authorization: Bearer <METRICS_TOKEN>` may read them (Prometheus: `authorization.credentials`).
 */
export function registerMetricsRoute(app: OpenAPIHono<AppEnv>, deps: Pick<HttpDeps, 'metrics'>): void {
  const metrics = deps.metrics;
  if (!metrics) return;
  app.get('/metrics', async (c) => {
    if (metrics.token && !bearerMatches(c.req.header('authorization'), metrics.token)) throw new DramaError('unauthorized', 'Metrics token required');
    const body = await metrics.render();
    return c.body(body, 200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
  });
}
