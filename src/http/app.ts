/**
 * The HTTP application factory: middleware, error mapping, routes, OpenAPI document.
 * @module
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { staticHeaders } from './node-headers.js';
import { DramaError } from '../domain/errors.js';
import { registerSseRoute } from './stream/sse.js';
import { StreamConnections } from './stream/connections.js';
import { registerWsRoute } from './stream/ws.js';
import type { AppEnv, HttpDeps } from './app-context.js';
import { createErrorHandler, errorBody } from './errors.js';
import { requestContext, requireUser } from './middleware.js';
import { rateLimit } from './rate-limit.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAdminStatsRoutes } from './routes/admin-stats.js';
import { registerApiKeyRoutes } from './routes/api-keys.js';
import { registerProviderKeyRoutes } from './routes/provider-keys.js';
import { registerSettingsRoutes } from './routes/me-settings.js';
import { registerModerationRoutes } from './routes/moderation.js';
import { registerReplayRoutes } from './routes/replay.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerDocsRoutes } from './routes/docs.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerCancelRoute } from './routes/cancel.js';
import { registerCardImportRoutes } from './routes/card-import.js';
import { registerCardRoutes } from './routes/cards.js';
import { registerAssetRoutes } from './routes/assets.js';
import { registerMemoryRoutes } from './routes/memories.js';
import { registerSessionRoutes } from './routes/sessions.js';
import { registerSessionTransferRoutes } from './routes/session-transfer.js';
import { registerShareRoutes } from './routes/shares.js';
import { registerSessionListRoute } from './routes/session-list.js';
import { registerStoryActionRoutes } from './routes/story-action.js';
import { registerStoryRoutes } from './routes/stories.js';
import { registerStoryAnalyticsRoutes } from './routes/story-analytics.js';
import { registerStoryVersionRoutes } from './routes/story-versions.js';
import { registerTimelineRoutes } from './routes/timeline.js';
import { registerMemberRoutes } from './routes/members.js';
import { registerWebClient } from './routes/web-client.js';

export interface HttpApp {
  app: OpenAPIHono<AppEnv>;
  /** Open WebSocket and SSE connections. */
  connections: StreamConnections;
}

/** How far over the limit a refused body of known size may be for the connection to stay open (Node discards it). */
const REFUSED_BODY_DRAIN_BYTES = 1024 * 1024;

function limitBody(maxSize: number): MiddlewareHandler {
  // A refusal must leave the connection usable for the client's next request. Node reads and
  // discards an unread body before the next request on a kept-alive connection, so a body of
  // known size not far over the limit is left to that; a larger one, or a chunked one whose
  // reading we began (its rest cannot be discarded cleanly), gets `Connection: close` and the
  // socket goes after the answer (the client's next request opens a new one).
  const tooLarge = (c: Context, closeConnection: boolean) => {
    if (closeConnection) c.header('Connection', 'close');
    throw new DramaError('payload_too_large', `Request body is over ${maxSize} bytes`);
  };
  const streamed = bodyLimit({ maxSize, onError: (c) => tooLarge(c, true) });
  // Hono's bodyLimit looks at `c.req.raw.body`, which makes the Node adapter build a whole web
  // Request (headers, AbortSignal) for every request, GETs included: a tenth of a web process's
  // CPU. A request without a body, or with a Content-Length, is decided from its headers; only
  // a chunked body is counted as it streams.
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    if (c.req.header('transfer-encoding') === undefined) {
      const length = c.req.header('content-length');
      if (length === undefined) return next();
      const bytes = Number.parseInt(length, 10);
      return bytes > maxSize ? tooLarge(c, bytes > maxSize + REFUSED_BODY_DRAIN_BYTES) : next();
    }
    return streamed(c, next);
  };
}

/** The body limit of each request: story uploads, lorebook and session imports, everything else. */
function bodyLimits(limits: HttpDeps['limits']): MiddlewareHandler {
  // Story uploads carry a whole ink file (JSON-escaped, so allow some growth); everything else is small.
  const uploadLimit = limitBody(Math.ceil(limits.maxInkSourceBytes * 1.25) + 4096);
  const defaultLimit = limitBody(limits.maxBodyBytes);
  // Lorebook imports carry a file, character card PNGs among them (IMPORT_MAX_BYTES).
  const cardImportLimit = limitBody(limits.maxImportBytes ?? limits.maxBodyBytes);
  // An imported session is a whole exported document (SESSION_IMPORT_MAX_BYTES).
  const sessionImportLimit = limitBody(limits.maxSessionImportBytes ?? limits.maxBodyBytes);
  const isUpload = (method: string, path: string) => (method === 'POST' && path === '/api/stories') || (method === 'PUT' && /^\/api\/stories\/[^/]+\/source$/.test(path));
  const isCardImport = (method: string, path: string) => method === 'POST' && /^\/api\/(stories|sessions)\/[^/]+\/cards\/import$/.test(path);
  // An asset upload is a form around one file of up to ASSET_MAX_BYTES (room for the form's framing).
  const assetLimit = limitBody((limits.maxAssetBytes ?? limits.maxBodyBytes) + 16_384);
  const bodyLimitFor = (method: string, path: string) => {
    if (method === 'POST' && /^\/api\/stories\/[^/]+\/assets$/.test(path)) return assetLimit;
    if (isUpload(method, path)) return uploadLimit;
    if (isCardImport(method, path)) return cardImportLimit;
    return method === 'POST' && path === '/api/sessions/import' ? sessionImportLimit : defaultLimit;
  };
  return (c, next) => bodyLimitFor(c.req.method, c.req.path)(c, next);
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
  app.onError(createErrorHandler(deps.logger, (code) => deps.metrics?.error(code)));
  app.notFound((c) => c.json(errorBody(new DramaError('not_found', `No route for ${c.req.method} ${c.req.path}`), c.get('requestId')), 404));
  // First, so the request's log lines and everything it starts belong to its span.
  if (deps.traceRequests) app.use('*', deps.traceRequests);
  app.use('*', requestContext(deps));
  // Bearer tokens, not cookies: CORS only decides which web apps may call us from a browser.
  // The same on every response: set on Node's response, not through Hono (node-headers.ts).
  app.use('*', staticHeaders(secureHeaders({ crossOriginResourcePolicy: 'same-site', crossOriginOpenerPolicy: 'same-origin' })));
  const origins = deps.security?.corsOrigins ?? [];
  if (origins.length) {
    app.use(
      '*',
      cors({
        origin: origins.includes('*') ? '*' : origins,
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID', 'X-Request-Id'],
        exposeHeaders: ['Retry-After', 'X-Request-Id'],
        maxAge: 600,
      }),
    );
  }
  app.use('/api/*', bodyLimits(deps.limits));
  registerHealthRoutes(app, deps);
  registerMetricsRoute(app, deps);
  registerDocsRoutes(app);
  app.use('/api/auth/claim', requireUser(deps));
  registerAuthRoutes(app, deps);
  registerAdminRoutes(app, deps.admin?.dashboard, deps.admin?.token, deps.auth);
  registerAdminStatsRoutes(app, deps);
  app.use('/api/stories/*', requireUser(deps));
  app.use('/api/stories', requireUser(deps));
  app.use('/api/sessions/*', requireUser(deps));
  app.use('/api/sessions', requireUser(deps));
  app.use('/api/story/*', requireUser(deps));
  app.use('/api/me/*', requireUser(deps));
  app.use('/api/invites/*', requireUser(deps));
  app.use('/api/keys/*', requireUser(deps));
  app.use('/api/keys', requireUser(deps));
  useRateLimits(app, deps);
  registerRoutes(app, deps, connections);
  // Last: it only answers what no route above did.
  if (deps.webClientDir) registerWebClient(app, deps.webClientDir);
  return { app, connections };
}

/** Every API route, in the order they match. */
function registerRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps, connections: StreamConnections): void {
  registerStoryRoutes(app, deps);
  registerStoryVersionRoutes(app, deps);
  registerStoryAnalyticsRoutes(app, deps);
  registerApiKeyRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerProviderKeyRoutes(app, deps);
  registerModerationRoutes(app, deps);
  registerAuditRoutes(app, deps);
  // Before the session routes: `import` is not a session id.
  registerSessionTransferRoutes(app, deps);
  registerShareRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerReplayRoutes(app, deps);
  registerTimelineRoutes(app, deps);
  registerMemberRoutes(app, deps);
  registerCancelRoute(app, deps);
  registerSessionListRoute(app, deps);
  registerMemoryRoutes(app, deps);
  registerCardImportRoutes(app, deps);
  registerCardRoutes(app, deps);
  registerAssetRoutes(app, deps);
  registerStoryActionRoutes(app, deps);
  registerSseRoute(app, deps, connections);
  registerWsRoute(app, deps, connections);
}

/** The rates of the routes that cost something: actions and retries run models, uploads compile ink. */
function useRateLimits(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const sec = deps.security ?? {};
  const actionLimit = rateLimit(deps, { name: 'action', method: 'POST', perUser: sec.actionsPerMinute ?? 0, perIp: sec.actionsPerMinutePerIp ?? 0, windowMs: 60_000 });
  app.use('/api/story/action', actionLimit);
  // A retry runs the models like an action, and counts as one.
  app.use('/api/sessions/:id/retry', actionLimit);
  const uploads = { name: 'upload', perUser: sec.uploadsPerHour ?? 0, perIp: sec.uploadsPerHourPerIp ?? 0, windowMs: 3_600_000 };
  app.use('/api/stories', rateLimit(deps, { ...uploads, method: 'POST' }));
  // A new version compiles like an upload, and counts as one.
  app.use('/api/stories/:id/source', rateLimit(deps, { ...uploads, method: 'PUT' }));
  // A lorebook import is a large body and up to 500 embeddings: it counts as an upload too.
  app.use('/api/:owner{stories|sessions}/:id/cards/import', rateLimit(deps, { ...uploads, method: 'POST' }));
  app.use('/api/stories/:id/assets', rateLimit(deps, { ...uploads, method: 'POST' }));
  // Shared transcripts are read without signing in: limited per address.
  app.use('/api/shared/*', rateLimit(deps, { name: 'shared', method: 'GET', perUser: 0, perIp: sec.sharedPerMinutePerIp ?? 0, windowMs: 60_000 }));
}
