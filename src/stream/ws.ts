/**
 * `WS /ws/story/{session_id}`: the session's turn events as JSON text frames. `?since=<id>`
 * replays what the client missed, then continues live. Authenticated before the upgrade, so a
 * bad token or someone else's session gets a JSON 401/404 instead of a socket.
 * @module
 */
import { upgradeWebSocket } from '@hono/node-server';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Subscription } from '../domain/ports/event-bus.js';
import type { AppEnv, HttpDeps } from '../http/app-context.js';
import { requireUser } from '../http/middleware.js';
import { toApiEvent } from '../http/wire.js';
import { parseSince, type StreamConnections } from './connections.js';

export function registerWsRoute(app: OpenAPIHono<AppEnv>, deps: HttpDeps, connections: StreamConnections): void {
  app.get(
    '/ws/story/:session_id',
    requireUser(deps),
    async (c, next) => {
      await deps.service.getSession(c.get('userId'), c.req.param('session_id'));
      await next();
    },
    upgradeWebSocket((c) => {
      const sessionId = c.req.param('session_id')!;
      const since = parseSince(c.req.query('since'));
      let sub: Subscription | null = null;
      let forget: () => void = () => undefined;
      return {
        onOpen(_evt, ws) {
          forget = connections.add(() => ws.close(1001, 'server shutting down'));
          void deps.bus
            .subscribe(sessionId, (event) => ws.send(JSON.stringify(toApiEvent(event))), since === undefined ? {} : { since })
            .then((s) => {
              if (ws.readyState === 1) sub = s;
              else s.unsubscribe();
            });
        },
        onMessage(evt, ws) {
          // Clients may ping to keep idle proxies from closing the socket.
          if (typeof evt.data === 'string' && evt.data.includes('"ping"')) ws.send(JSON.stringify({ type: 'pong' }));
        },
        onClose() {
          sub?.unsubscribe();
          forget();
        },
      };
    }),
  );
}
