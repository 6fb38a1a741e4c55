/**
 * Starts the HTTP + WebSocket server over a runtime, with graceful shutdown.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { withTimeout } from '../shared/timeout.js';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { Env } from '../config/env.js';
import type { Logger } from '../shared/log.js';
import { DramaError } from '../domain/errors.js';
import { createHttpApp } from '../http/app.js';
import { INSTANCE_ID } from '../http/middleware.js';
import { guestAuthEnabled } from './create-auth.js';
import { createHttpDeps } from './http-deps.js';
import { createRuntime, type Runtime } from './create-runtime.js';
import { CODE_ORIGIN } from './code-version.js';

export interface RunningServer {
  url: string;
  port: number;
  runtime: Runtime;
  /** Stop accepting work, finish running turns, close sockets, then the server and database. */
  shutdown(): Promise<void>;
}

/** Every open TCP connection, so shutdown can end the ones nobody else will. */
function trackSockets(server: ReturnType<typeof serve>): Set<Duplex> {
  const sockets = new Set<Duplex>();
  server.on('connection', (socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/**
 * @hono/node-server answers only WebSocket upgrades and leaves any other `Upgrade:` (h2c…)
 * hanging with its socket open; answer those with a JSON 400 and close. Its listener must stay
 * the only 'upgrade' listener (it refuses failed WebSocket upgrades only when it is), so we wrap
 * it instead of adding a second one.
 */
function refuseOtherUpgrades(server: ReturnType<typeof serve>): void {
  type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  const inner = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.headers.upgrade ?? '').toLowerCase() === 'websocket') {
      for (const listener of inner) listener.call(server, req, socket, head);
      return;
    }
    const body = JSON.stringify({ error: { code: 'bad_request', message: 'Only WebSocket upgrades are supported' } });
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

/** What a server serves besides the API; the CLI turns the web client on, in-process test servers usually leave it off. */
export interface ServerOptions {
  /** The built web client (web/dist) to serve at `/`. */
  webClientDir?: string;
}

export async function startServer(env: Env, logger: Logger, role: 'all' | 'serve' = 'all', options: ServerOptions = {}): Promise<RunningServer> {
  if (role === 'serve' && !env.JWT_SECRET && guestAuthEnabled(env)) {
    // Each web server would invent its own secret, and a token from one would fail on the others.
    throw new DramaError('config_invalid', '`mock-drama serve` needs JWT_SECRET (the same on every web server)');
  }
  const runtime = await createRuntime(env, { logger, role });
  let draining = false;
  const { app, connections } = createHttpApp(createHttpDeps(env, runtime, logger, { isDraining: () => draining, ...options }));
  runtime.metrics.watch({ connections: () => connections.counts() });
  const wss = new WebSocketServer({ noServer: true });
  // The upgrade response is written by ws, not Hono: add the instance header here too.
  wss.on('headers', (headers) => headers.push(`X-Instance: ${INSTANCE_ID}`));
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST, websocket: { server: wss } }, () => resolve(s));
    s.once('error', reject);
  });
  // Players pause between actions for longer than Node's 5 s default; without keep-alive every
  // action opens a new TCP connection, and new connections are what starve under load.
  const http = server as import('node:http').Server;
  http.keepAliveTimeout = 75_000;
  http.headersTimeout = 76_000;
  const sockets = trackSockets(server);
  refuseOtherUpgrades(server);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`;
  logger.info({ url, docs: `${url}/docs`, db: runtime.deps.store.kind, vector: runtime.deps.store.vectorSupport, transport: runtime.transport.kind, code: CODE_ORIGIN }, 'mock-drama is listening');
  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    runtime,
    shutdown() {
      stopping ??= (async () => {
        draining = true;
        logger.info({}, 'shutting down: finishing running turns');
        await runtime.drain();
        connections.closeAll();
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        // Idle keep-alive connections and stray upgraded sockets would hold close() forever.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        (server as import('node:http').Server).closeIdleConnections?.();
        await withTimeout(closed, 2000, () => undefined);
        for (const socket of sockets) socket.destroy();
        await closed;
        wss.close();
        await runtime.close();
        logger.info({}, 'shutdown complete');
      })();
      return stopping;
    },
  };
}
