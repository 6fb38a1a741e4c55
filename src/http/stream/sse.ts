/**
 * `GET /api/sessions/{id}/events`: the session's turn events as Server-Sent Events. A client
 * resuming with `Last-Event-ID` (EventSource does this by itself) or `?since=` first receives the
 * buffered events it missed.
 * @module
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { apiEventJson } from '../wire.js';
import { readToken } from '../middleware.js';
import { withTimeout } from '../../shared/timeout.js';
import { parseSince, removedFrom, streamSlots, whenExpired, whenRefused, type StreamConnections } from './connections.js';

const KEEPALIVE_MS = 15_000;

export function registerSseRoute(app: OpenAPIHono<AppEnv>, deps: HttpDeps, connections: StreamConnections): void {
  const slots = streamSlots(deps);
  app.get('/api/sessions/:id/events', async (c) => {
    const session = await deps.service.sessionFor(c.get('userId'), c.req.param('id'), 'read');
    const userId = c.get('userId');
    const since = parseSince(c.req.header('last-event-id')) ?? parseSince(c.req.query('since'));
    // nginx and other proxies must not buffer the stream.
    c.header('X-Accel-Buffering', 'no');
    c.header('Cache-Control', 'no-cache');
    // Hono answers HEAD by running this GET handler and dropping the body unread and uncancelled:
    // a stream opened here would never see its client leave (a leaked subscription per request).
    if (c.req.method === 'HEAD') return c.body(null, 200, { 'Content-Type': 'text/event-stream' });
    // The same per-user cap as WebSockets, counted together; a refusal is a plain 429.
    const slot = await slots.take(c.get('userId'));
    if (!slot) throw slots.refusal();
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => slot.release());
      let writing = Promise.resolve();
      let removed = () => undefined as void;
      const sub = await deps.bus.subscribe(
        session.id,
        (event) => {
          // Writes are chained so events leave in publish order.
          writing = writing.then(() => stream.writeSSE({ id: String(event.id), event: event.type, data: apiEventJson(event) })).catch(() => undefined);
          if (removedFrom(event, userId)) removed();
        },
        since === undefined ? {} : { since },
      );
      let closed = false;
      let finish!: () => void;
      const done = new Promise<void>((resolve) => {
        finish = () => {
          if (closed) return;
          closed = true;
          sub.unsubscribe();
          resolve();
        };
      });
      stream.onAbort(finish);
      // The client may have left while we were subscribing (a Redis round trip).
      if (stream.aborted) finish();
      const end = () => {
        finish();
        void stream.close();
      };
      /** An `error` event after what is already queued, then the end of the stream. */
      const endWithError = (error: { code: string; message: string }) => {
        writing = writing
          .then(() => stream.writeSSE({ event: 'error', data: JSON.stringify({ error }) }))
          .catch(() => undefined)
          .then(end);
      };
      // Checked again rather than trusted: a replayed departure may predate a rejoin.
      removed = () => void deps.service.sessionFor(userId, session.id, 'read').catch(() => endWithError({ code: 'session_not_found', message: 'removed from the session' }));
      const forget = connections.add(end, 'sse');
      void done.then(forget);
      void done.then(() => slot.release());
      // The token was checked once, when the stream opened: end the stream when it expires.
      const cancelExpiry = whenExpired(c.get('principal').expiresAt, () => endWithError({ code: 'unauthorized', message: 'Token expired' }));
      void done.then(cancelExpiry);
      // Re-checked while open: a suspension or a revoked API key ends the stream with its error.
      const credential = readToken(c.req.header('authorization'), c.req.query('token'), c.req.header('x-api-key'));
      const cancelRecheck = whenRefused(deps, userId, credential, (err) => endWithError({ code: err.code, message: err.message }));
      void done.then(cancelRecheck);
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ session_id: session.id, turn_no: session.turnNo }) });
      while (!closed) {
        // withTimeout clears its timer when the stream ends (stream.sleep's would run on for 15 s).
        await withTimeout(done, KEEPALIVE_MS, () => undefined);
        if (!closed) await stream.write(': keepalive\n\n').catch(() => undefined);
      }
      await writing;
    });
  });
}
