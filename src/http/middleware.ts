import type { MiddlewareHandler } from 'hono';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DramaError } from '../domain/errors.js';
import type { AppEnv, HttpDeps } from './app-context.js';
import { lazyChild } from '../shared/log.js';
import { setResponseHeader } from './node-headers.js';
import { redactPath } from '../shared/redact-path.js';

/** Which web process answered; behind a load balancer this is what tells two servers apart. */
export const INSTANCE_ID = `${hostname()}:${process.pid}`;

/** Request id (honours a sane incoming X-Request-Id), a child logger, and an access log line. */
export function requestContext(deps: HttpDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    setResponseHeader(c, 'X-Instance', INSTANCE_ID);
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    const logger = lazyChild(deps.logger, { requestId });
    c.set('requestId', requestId);
    c.set('logger', logger);
    setResponseHeader(c, 'X-Request-Id', requestId);
    const started = performance.now();
    await next();
    logger.debug({ method: c.req.method, path: redactPath(c.req.path), status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  };
}

/**
 * The credential: `Authorization: Bearer <jwt or API key>`, an `X-API-Key` header, or `?token=`
 * (browsers cannot set headers on WebSocket/EventSource).
 */
export function readToken(authorization: string | undefined, queryToken: string | undefined, apiKey?: string): string | null {
  if (authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!m) throw new DramaError('unauthorized', 'Authorization header must be "Bearer <token>"');
    return m[1]!;
  }
  return apiKey || queryToken || null;
}

export function requireUser(deps: HttpDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = readToken(c.req.header('authorization'), c.req.query('token'), c.req.header('x-api-key'));
    if (!token) throw new DramaError('unauthorized', 'Missing bearer token; get one from POST /api/auth/guest');
    const principal = await deps.auth.verify(token);
    const { userId } = principal;
    c.set('userId', userId);
    c.set('principal', principal);
    c.set('logger', c.get('logger').child({ userId }));
    await next();
  };
}
