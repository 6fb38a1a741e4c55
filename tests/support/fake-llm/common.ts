/**
 * Shared machinery of the fake provider servers: a real `node:http` server on 127.0.0.1, request
 * recording, scripted replies, latency pacing and a chunk log with emit timestamps. The provider
 * files (`openai-fake.ts`, `anthropic-fake.ts`) only translate replies into their wire format.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
// Types live in types.ts; re-exported here so imports written against earlier versions keep working.
export type * from './types.js';
import type { ChunkLogEntry, ErrorReply, FakeLatency, FakeLlmServer, FakeReply, FakeRequest, FakeServerOptions, JsonReply, ReplyHandler } from './types.js';

/** Per-request context handed to a provider's route function. */
export interface RouteContext {
  req: FakeRequest;
  res: ServerResponse;
  /** Aborted when the client goes away; pacing stops early then. */
  signal: AbortSignal;
  reply: FakeReply;
  latency: Required<FakeLatency>;
  /** Record that a streamed chunk was just written (call right after the write). */
  logChunk(chunkIndex: number, text: string): void;
}

export type Route = (ctx: RouteContext) => Promise<void>;

/** Epoch ms with sub-ms precision; the same clock a client in this process can read. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolve after `ms` or as soon as `signal` aborts (never rejects: callers check `signal.aborted`). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Sleep until an absolute deadline, so per-chunk timer lateness does not accumulate over a stream. */
export async function pauseUntil(deadline: number, signal: AbortSignal): Promise<void> {
  // Node timers work in whole milliseconds and may fire a fraction early: wait again until the
  // deadline has really passed, so pacing never runs ahead of what a reply asked for.
  while (nowMs() < deadline && !signal.aborted) await pause(Math.max(1, Math.ceil(deadline - nowMs())), signal);
}

/** Split prose into word-sized chunks ("Hello ", "world."), the grain real models stream in. */
export function splitWords(text: string): string[] {
  const parts = text.match(/\s*\S+\s*/g);
  return parts && parts.length > 0 ? parts : [text];
}

/** Split a JSON string into fixed-size pieces, like a model emitting JSON tokens. */
export function splitFixed(text: string, size = 16): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

/** Rough token estimate (chars / 4) of everything in a request body, for default usage numbers. */
export function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4));
}

export function isJsonReply(r: FakeReply): r is JsonReply {
  return 'json' in r;
}
export function isErrorReply(r: FakeReply): r is ErrorReply {
  return 'status' in r;
}

/** Write a JSON response with the given status. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

/** Start SSE: headers are flushed at once, as real providers do before the first token. */
export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const raw = Buffer.concat(parts).toString('utf8');
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Start a fake server. `routes` maps a POST path to the provider's handler; anything else is 404.
 * `fallback` is the reply when neither `respond()` nor `options.defaultReply` gives one.
 */
export async function startFakeServer(options: FakeServerOptions, routes: Record<string, Route>, fallback: FakeReply): Promise<FakeLlmServer> {
  const requests: FakeRequest[] = [];
  const chunkLog: ChunkLogEntry[] = [];
  let handler: FakeReply | ReplyHandler | undefined;
  // Arrival order even when not recording (then `requests.length` stays 0).
  let nextIndex = 0;

  async function pick(req: FakeRequest): Promise<FakeReply> {
    const fromHandler = typeof handler === 'function' ? await handler(req) : handler;
    if (fromHandler) return fromHandler;
    const def = typeof options.defaultReply === 'function' ? await options.defaultReply(req) : options.defaultReply;
    return def ?? fallback;
  }

  const server = createServer((incoming, res) => {
    const receivedAt = nowMs();
    // Small SSE writes must leave at once, not wait for Nagle to batch them.
    incoming.socket.setNoDelay(true);
    const controller = new AbortController();
    let end!: (how: 'finished' | 'aborted') => void;
    const ended = new Promise<'finished' | 'aborted'>((resolve) => (end = resolve));
    // 'close' on the response fires when it finished or the client went away; either way stop pacing.
    res.on('close', () => {
      controller.abort();
      end(res.writableFinished ? 'finished' : 'aborted');
    });
    void (async () => {
      const body = await readBody(incoming);
      const path = (incoming.url ?? '/').split('?')[0] ?? '/';
      const req: FakeRequest = { index: nextIndex++, method: incoming.method ?? 'GET', path, headers: incoming.headers, body, receivedAt, ended };
      if (options.record !== false) requests.push(req);
      const route = incoming.method === 'POST' ? routes[path] : undefined;
      if (!route) {
        sendJson(res, 404, { error: { message: `fake: no route ${req.method} ${path}`, type: 'not_found' } });
        return;
      }
      const reply = await pick(req);
      const latency = {
        firstTokenMs: ('firstTokenMs' in reply ? reply.firstTokenMs : undefined) ?? options.firstTokenMs ?? 0,
        perChunkMs: ('perChunkMs' in reply ? reply.perChunkMs : undefined) ?? options.perChunkMs ?? 0,
      };
      if ('hangUp' in reply && !(reply.afterChunks ?? 0)) {
        incoming.socket.destroy();
        return;
      }
      if (isErrorReply(reply)) await pause(reply.delayMs ?? 0, controller.signal);
      const logChunk = (chunkIndex: number, text: string): void => {
        if (options.record !== false) chunkLog.push({ requestIndex: req.index, chunkIndex, text, writtenAt: nowMs() });
      };
      await route({ req, res, signal: controller.signal, reply, latency, logChunk });
    })().catch((err: unknown) => {
      // A fake that throws would otherwise leave the client hanging with no clue.
      if (!res.headersSent) sendJson(res, 500, { error: { message: `fake crashed: ${String(err)}`, type: 'fake_error' } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = !options.host || options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  const url = `http://${host}:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    port,
    requests,
    chunkLog,
    respond(reply) {
      handler = reply;
    },
    reset() {
      requests.length = 0;
      chunkLog.length = 0;
      nextIndex = 0;
      handler = undefined;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Stalled responses never end on their own; keep-alive sockets would hold close() open.
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Stream `chunks` paced by `latency`, calling `write` for each; stops when the client leaves.
 * Returns false if the stream was cut short (client gone or `limit` reached).
 */
export async function paceChunks(
  ctx: RouteContext,
  chunks: readonly string[],
  write: (text: string, index: number) => void,
  limit = Infinity,
): Promise<boolean> {
  const start = nowMs();
  for (let i = 0; i < chunks.length; i++) {
    if (i >= limit) return false;
    await pauseUntil(start + ctx.latency.firstTokenMs + i * ctx.latency.perChunkMs, ctx.signal);
    if (ctx.signal.aborted || ctx.res.destroyed) return false;
    write(chunks[i]!, i);
    ctx.logChunk(i, chunks[i]!);
  }
  return true;
}

/**
 * Cut the connection mid-response. A bare `destroy()` would drop chunks still queued in user
 * space, so the client would never see the ones the chunk log says were written.
 */
export function hangUp(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  socket.write('', () => socket.destroy());
}

/** Non-streaming pacing: firstTokenMs + perChunkMs × chunks, then the caller answers at once. */
export function paceWhole(ctx: RouteContext, chunkCount: number): Promise<void> {
  return pause(ctx.latency.firstTokenMs + ctx.latency.perChunkMs * chunkCount, ctx.signal);
}
