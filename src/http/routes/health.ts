import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../app-context.js';

/** `/healthz`: the process is alive. `/readyz`: it can serve (database reachable, not draining). */
export function registerHealthRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (deps.isDraining()) return c.json({ status: 'draining' }, 503);
    try {
      await deps.checkReady();
      return c.json({ status: 'ready' });
    } catch (err) {
      c.get('logger').warn({ err: String(err) }, 'not ready');
      return c.json({ status: 'unavailable', reason: err instanceof Error ? err.message : String(err) }, 503);
    }
  });
}
