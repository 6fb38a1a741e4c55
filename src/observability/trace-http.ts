/**
 * A server span per HTTP request, named after the route pattern (`POST /api/story/action`,
 * `GET /api/story/status/:task_id`), continuing the caller's trace when it sends a `traceparent`.
 * Probes and scrapes are left out: they would be most of the spans and tell nothing.
 * @module
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type TextMapGetter, type Tracer } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH, ATTR_URL_SCHEME, ATTR_USER_AGENT_ORIGINAL } from '@opentelemetry/semantic-conventions';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { recordFailure } from './spans.js';
import { redactPath } from '../shared/redact-path.js';

const UNTRACED = new Set(['/healthz', '/readyz', '/metrics', '/favicon.ico']);

const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/** The pattern of the route that answered: the last matched handler (middleware is registered for every method). */
function routeOf(c: Context): string | undefined {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]!;
    if (route.method !== 'ALL') return route.path;
  }
  return undefined;
}

export function traceRequests(tracer: Tracer): MiddlewareHandler {
  return async (c, next) => {
    if (UNTRACED.has(c.req.path)) return next();
    const method = c.req.method;
    const parent = propagation.extract(ROOT_CONTEXT, c.req.raw.headers, headerGetter);
    const url = new URL(c.req.url);
    const span = tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_URL_PATH]: redactPath(c.req.path),
          [ATTR_URL_SCHEME]: url.protocol.replace(':', ''),
          ...(c.req.header('user-agent') ? { [ATTR_USER_AGENT_ORIGINAL]: c.req.header('user-agent') } : {}),
        },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (err) {
      // Errors normally become responses in the app's onError; one that escapes still ends the span.
      recordFailure(span, err);
      span.end();
      throw err;
    }
    const route = routeOf(c);
    if (route) {
      span.updateName(`${method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
    }
    const status = c.res.status;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    const requestId = c.get('requestId') as string | undefined;
    if (requestId) span.setAttribute('mock_drama.request.id', requestId);
    // Server spans fail on 5xx only; a 4xx is the client's mistake (semantic conventions).
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
}
