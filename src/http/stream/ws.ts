/**
 * `WS /ws/story/{session_id}`: the session's turn events as JSON text frames. `?since=<id>`
 * replays what the client missed, then continues live. Authenticated before the upgrade, so a
 * bad token or someone else's session gets a 401/404 instead of a socket.
 *
 * Clients that cannot put a token in the URL may connect with `?auth=message` instead and send
 * `{"type":"auth","token":"…"}` as their first frame within {@link AUTH_TIMEOUT_MS}; refusals
 * then come as close codes (4001 unauthorized, 4003 account suspended, 4004 not found, 4029 too
 * many sockets). A socket is closed with 4001 "token expired" when its token expires, and when a
 * periodic re-check (`STREAM_RECHECK_MS`) finds its user suspended (4003) or its API key revoked
 * (4001 "api key revoked").
 *
 * The per-user cap (WebSocket and SSE together, see streamSlots) counts through
 * `deps.socketSlots`: per process, or across every web server when they share Redis. A slot is
 * taken before the upgrade (so a refusal is a plain 429) and given back when the socket closes.
 * @module
 */
import { upgradeWebSocket } from '@hono/node-server';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { WSContext } from 'hono/ws';
import { DramaError } from '../../domain/errors.js';
import { WS_CLOSE, wsCloseOf } from '../errors.js';
import type { Subscription } from '../../domain/ports/event-bus.js';
import type { SocketSlot } from '../../domain/ports/socket-slots.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import type { Principal } from '../auth/token-auth.js';
import { readToken, requireUser } from '../middleware.js';
import { apiEventJson } from '../wire.js';
import { enterSession, typingRelay } from './presence.js';
import { parseSince, removedFrom, streamSlots, whenExpired, whenRefused, type StreamConnections } from './connections.js';

export const AUTH_TIMEOUT_MS = 5000;

function closeWith(ws: WSContext, err: unknown): void {
  const { code, reason } = wsCloseOf(err);
  ws.close(code, reason);
}

function authMessageToken(data: unknown): string | null {
  if (typeof data !== 'string' || data.length > 16_384) return null;
  try {
    const msg = JSON.parse(data) as { type?: unknown; token?: unknown };
    return msg?.type === 'auth' && typeof msg.token === 'string' ? msg.token : null;
  } catch {
    return null;
  }
}

export function registerWsRoute(app: OpenAPIHono<AppEnv>, deps: HttpDeps, connections: StreamConnections): void {
  const slots = streamSlots(deps);
  const takeSlot = (userId: string) => slots.take(userId);
  /** Slots taken before an upgrade, for the socket that the upgrade opens. */
  const reserved = new WeakMap<Request, SocketSlot>();
  /** Whether the session was shared when the upgrade was authorized (presence events only then). */
  const sharedAt = new WeakMap<Request, boolean>();

  app.get(
    '/ws/story/:session_id',
    async (c, next) => {
      // Deferred authentication: only when asked for and no credential came with the request.
      const credential = c.req.header('authorization') ?? c.req.header('x-api-key') ?? c.req.query('token');
      if (c.req.query('auth') === 'message' && credential === undefined) return next();
      return requireUser(deps)(c, async () => {
        const { shared } = await deps.service.readableSession(c.get('userId'), c.req.param('session_id'));
        sharedAt.set(c.req.raw, shared);
        const slot = await takeSlot(c.get('userId'));
        if (!slot) throw slots.refusal();
        reserved.set(c.req.raw, slot);
        await next();
      });
    },
    upgradeWebSocket((c) => {
      const sessionId = c.req.param('session_id')!;
      const since = parseSince(c.req.query('since'));
      const preAuthenticated = c.var.principal as Principal | undefined;
      const preCredential = preAuthenticated ? readToken(c.req.header('authorization'), c.req.query('token'), c.req.header('x-api-key')) : null;
      const preSlot = reserved.get(c.req.raw);
      let shared = sharedAt.get(c.req.raw) ?? false;
      let typing: ((data: unknown) => boolean) | null = null;
      // If the upgrade never completes (the client left), nothing else would give the slot back.
      const orphaned = preSlot ? setTimeout(() => preSlot.release(), 10_000).unref() : undefined;
      let sub: Subscription | null = null;
      let open = true;
      let started = false;
      const cleanups: (() => void)[] = [];

      const start = async (ws: WSContext, principal: Principal, credential: string | null, reservedSlot?: SocketSlot) => {
        started = true;
        const slot = reservedSlot ?? (await takeSlot(principal.userId));
        if (!slot) return closeWith(ws, slots.refusal());
        if (!open) return slot.release();
        const leave = await enterSession(deps, sessionId, principal.userId, shared);
        typing = typingRelay(deps, sessionId, principal.userId);
        cleanups.push(
          () => slot.release(),
          leave,
          whenExpired(principal.expiresAt, () => closeWith(ws, new DramaError('unauthorized', 'Token expired'))),
          whenRefused(deps, principal.userId, credential, (err) => closeWith(ws, err)),
        );
        void deps.bus
          .subscribe(
            sessionId,
            (event) => {
              ws.send(apiEventJson(event));
              // Checked again rather than trusted: a replayed departure may predate a rejoin.
              if (removedFrom(event, principal.userId)) void deps.service.sessionFor(principal.userId, sessionId, 'read').catch((err: unknown) => closeWith(ws, err));
            },
            since === undefined ? {} : { since },
          )
          .then((s) => {
            if (open && ws.readyState === 1) sub = s;
            else s.unsubscribe();
          });
      };

      const authenticate = async (ws: WSContext, token: string) => {
        try {
          const principal = await deps.auth.verify(token);
          shared = (await deps.service.readableSession(principal.userId, sessionId)).shared;
          if (open) await start(ws, principal, token);
        } catch (err) {
          closeWith(ws, err);
        }
      };

      let authenticating = false;
      return {
        onOpen(_evt, ws) {
          clearTimeout(orphaned);
          cleanups.push(connections.add(() => ws.close(1001, 'server shutting down'), 'websocket'));
          if (preAuthenticated) return void start(ws, preAuthenticated, preCredential, preSlot);
          const timer = setTimeout(() => ws.close(WS_CLOSE.unauthorized, 'authentication timed out'), AUTH_TIMEOUT_MS);
          timer.unref();
          cleanups.push(() => clearTimeout(timer));
        },
        onMessage(evt, ws) {
          if (!preAuthenticated && !started) {
            if (authenticating) return;
            const token = authMessageToken(evt.data);
            if (!token) return ws.close(WS_CLOSE.unauthorized, 'expected {"type":"auth","token":…} first');
            authenticating = true;
            void authenticate(ws, token);
            return;
          }
          if (typing?.(evt.data)) return;
          // Clients may ping to keep idle proxies from closing the socket.
          if (typeof evt.data === 'string' && evt.data.includes('"ping"')) ws.send(JSON.stringify({ type: 'pong' }));
        },
        onClose() {
          open = false;
          sub?.unsubscribe();
          for (const cleanup of cleanups.splice(0)) cleanup();
        },
      };
    }),
  );
}
