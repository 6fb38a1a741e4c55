/**
 * The HTTP application factory: middleware, error mapping, routes, OpenAPI document.
 * @module
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { DramaError } from '../domain/errors.js';
import { registerSseRoute } from '../stream/sse.js';
import { StreamConnections } from '../stream/connections.js';
import { registerWsRoute } from '../stream/ws.js';
import type { AppEnv, HttpDeps } from './app-context.js';
import { createErrorHandler, errorBody } from './errors.js';
import { requestContext, requireUser } from './middleware.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerDocsRoutes } from './routes/docs.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerSessionRoutes } from './routes/sessions.js';
import { registerStoryActionRoutes } from './routes/story-action.js';
import { registerStoryRoutes } from './routes/stories.js';

export interface HttpApp {
  app: OpenAPIHono<AppEnv>;
  /** Open WebSocket and SSE connections. */
  connections: StreamConnections;
}

export function createHttpApp(deps: HttpDeps): HttpApp {
  const app = new OpenAPIHono<AppEnv>({
    // Schema violations become our error shape, with the offending fields named.
    defaultHook: (result, c) => {
      if (result.success) return;
      const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      const err = new DramaError('bad_request', `Invalid request: ${details.map((d) => d.path || '(body)').join(', ')}`, { details });
      return c.json(errorBody(err, c.get('requestId')), 400);
    },
  });
  const connections = new StreamConnections();
  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) => c.json(errorBody(new DramaError('not_found', `No route for ${c.req.method} ${c.req.path}`), c.get('requestId')), 404));
  app.use('*', requestContext(deps));
  const limitBody = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new DramaError('payload_too_large', `Request body is over ${maxSize} bytes`);
      },
    });
  // Story uploads carry a whole ink file (JSON-escaped, so allow some growth); everything else is small.
  const uploadLimit = limitBody(Math.ceil(deps.limits.maxInkSourceBytes * 1.25) + 4096);
  const defaultLimit = limitBody(deps.limits.maxBodyBytes);
  app.use('/api/*', (c, next) => (c.req.path === '/api/stories' && c.req.method === 'POST' ? uploadLimit(c, next) : defaultLimit(c, next)));
  registerHealthRoutes(app, deps);
  registerDocsRoutes(app);
  registerAuthRoutes(app, deps);
  registerAdminRoutes(app, deps.admin?.dashboard, deps.admin?.token);
  app.use('/api/stories/*', requireUser(deps));
  app.use('/api/stories', requireUser(deps));
  app.use('/api/sessions/*', requireUser(deps));
  app.use('/api/sessions', requireUser(deps));
  app.use('/api/story/*', requireUser(deps));
  app.use('/api/me/*', requireUser(deps));
  registerStoryRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerStoryActionRoutes(app, deps);
  registerSseRoute(app, deps, connections);
  registerWsRoute(app, deps, connections);
  return { app, connections };
}
