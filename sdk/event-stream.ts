/**
 * A session's live events that survive network loss: a WebSocket that reconnects with
 * `since=<last event id>` (the server replays what was missed), events delivered once each in
 * id order (ids strictly increase within a session), and SSE as a fallback when WebSockets do
 * not get through (no constructor, or a proxy that refuses the upgrade).
 * @module
 */
import { connectSse, connectWebSocket, type Connection, type ConnectionEnd, type WebSocketConstructorLike } from './transports.js';
import type { SessionEvent } from './types.js';

export type { WebSocketConstructorLike, WebSocketLike } from './transports.js';

export type StreamTransport = 'websocket' | 'sse';
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StreamStatus {
  state: StreamState;
  transport: StreamTransport;
  /** Failed attempts since the stream was last open. */
  attempt: number;
  /** Until the next attempt (`reconnecting`). */
  retryInMs?: number;
  /** Why the stream ended for good (`closed`). */
  reason?: 'unauthorized' | 'forbidden' | 'not_found' | 'closed_by_client';
}

export interface SessionEventStreamOptions {
  baseUrl: string;
  sessionId: string;
  /** Asked at every (re)connection. */
  token: () => string | null;
  /**
   * Resume point: events with a greater id are delivered, starting with the server's buffer
   * (the last 1,000 events or 10 minutes). `0` = everything buffered; absent = live only (until
   * the first event arrives, a reconnect cannot know what it missed).
   */
  since?: number;
  /** `auto` (default): WebSocket, falling back to SSE when it never connects. */
  transport?: 'auto' | StreamTransport;
  /** Default `globalThis.WebSocket`; in Node 20 pass `WebSocket` from the `ws` package. */
  WebSocket?: WebSocketConstructorLike;
  fetch?: (input: Request) => Promise<Response>;
  onEvent(event: SessionEvent): void;
  onStatus?(status: StreamStatus): void;
  /** `false`: one connection, no retries. Delays grow from `initialDelayMs` to `maxDelayMs`, with jitter. */
  reconnect?: false | { initialDelayMs?: number; maxDelayMs?: number };
  /** WebSocket ping interval; a socket silent for twice this long is replaced. 0 = off. Default 20 s. */
  heartbeatMs?: number;
}

export interface SessionEventStream {
  /** The id of the last event delivered (the next `since`). */
  readonly lastEventId: number | undefined;
  readonly transport: StreamTransport;
  readonly state: StreamState;
  /** Resolves when the first connection opens; rejects if the stream ends before that. */
  readonly opened: Promise<void>;
  /** Drop the current connection and connect again now (e.g. when the browser is back online). */
  reconnectNow(): void;
  /**
   * Tell a shared session's other players that you are typing (`member.typing`). WebSocket only
   * (false over SSE or while reconnecting); the server relays at most one every 2 s per socket.
   */
  sendTyping(): boolean;
  close(): void;
}

/** WebSocket attempts that never opened before trying SSE instead. */
const WS_FAILURES_BEFORE_SSE = 2;

function isSessionEvent(message: unknown): message is SessionEvent {
  const m = message as { id?: unknown; type?: unknown } | null;
  return typeof m?.id === 'number' && typeof m.type === 'string';
}

export function openSessionEvents(options: SessionEventStreamOptions): SessionEventStream {
  const WsCtor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
  const fetchImpl = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const retry = options.reconnect === false ? null : { initialDelayMs: 250, maxDelayMs: 10_000, ...options.reconnect };
  const heartbeatMs = options.heartbeatMs ?? 20_000;
  let transport: StreamTransport = options.transport === 'sse' || !WsCtor ? 'sse' : 'websocket';
  let lastEventId = options.since;
  let state: StreamState = 'connecting';
  let attempt = 0;
  let wsNeverOpened = 0;
  let everOpen = false;
  let connection: Connection | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settleOpened: { resolve(): void; reject(err: Error): void };
  const opened = new Promise<void>((resolve, reject) => (settleOpened = { resolve, reject }));
  opened.catch(() => undefined);

  const report = (next: StreamState, extra: Partial<StreamStatus> = {}) => {
    state = next;
    options.onStatus?.({ state, transport, attempt, ...extra });
  };

  const finish = (reason: NonNullable<StreamStatus['reason']>) => {
    clearTimeout(timer);
    connection?.close();
    connection = null;
    if (state === 'closed') return;
    report('closed', { reason });
    settleOpened.reject(new Error(`event stream closed: ${reason}`));
  };

  const onEnd = (end: ConnectionEnd) => {
    connection = null;
    if (state === 'closed') return;
    if (end.final) return finish(end.final);
    if (!retry) return finish('closed_by_client');
    if (transport === 'websocket' && !end.wasOpen && options.transport !== 'websocket') {
      wsNeverOpened += 1;
      if (wsNeverOpened >= WS_FAILURES_BEFORE_SSE && !everOpen) transport = 'sse';
    }
    const backoff = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** attempt);
    const delay = Math.max(end.minDelayMs ?? 0, Math.round(backoff * (0.5 + Math.random() * 0.5)));
    attempt += 1;
    report('reconnecting', { retryInMs: delay });
    timer = setTimeout(connect, delay);
  };

  const handlers = {
    onOpen() {
      everOpen = true;
      attempt = 0;
      wsNeverOpened = 0;
      report('open');
      settleOpened.resolve();
    },
    onMessage(message: unknown) {
      if (!isSessionEvent(message)) return;
      // Replays after a reconnect overlap what was delivered: ids are strictly increasing, so skip the seen ones.
      if (lastEventId !== undefined && message.id <= lastEventId) return;
      lastEventId = message.id;
      options.onEvent(message);
    },
    onEnd,
  };

  function connect() {
    if (state === 'closed') return;
    const target = { baseUrl: options.baseUrl, sessionId: options.sessionId, token: options.token(), since: lastEventId };
    connection = transport === 'websocket' && WsCtor ? connectWebSocket(WsCtor, target, handlers, heartbeatMs) : connectSse(fetchImpl, target, handlers);
  }

  report('connecting');
  connect();
  return {
    get lastEventId() {
      return lastEventId;
    },
    get transport() {
      return transport;
    },
    get state() {
      return state;
    },
    opened,
    reconnectNow() {
      if (state === 'closed') return;
      clearTimeout(timer);
      connection?.close();
      connection = null;
      report('reconnecting', { retryInMs: 0 });
      connect();
    },
    sendTyping() {
      return state === 'open' && (connection?.send?.('{"type":"typing"}') ?? false);
    },
    close() {
      finish('closed_by_client');
    },
  };
}
