/**
 * The two ways to receive a session's events, behind one small interface so the reconnecting
 * stream (event-stream.ts) treats them alike: a WebSocket, and SSE read with fetch (fetch rather
 * than EventSource: it can send the Authorization header and works in Node).
 * @module
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * What the SDK needs of a WebSocket: the browser's, or the `ws` package's in Node 20 (which has
 * no global WebSocket). Handler parameters are `any` because the two declare different event types.
 */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructorLike = new (url: string) => WebSocketLike;

/** How a connection ended: `final` ends the stream for good; otherwise it reconnects. */
export interface ConnectionEnd {
  final?: 'unauthorized' | 'forbidden' | 'not_found';
  /** Wait at least this long before reconnecting (rate limits). */
  minDelayMs?: number;
  /** Whether the connection was ever open (a failure to connect counts towards the SSE fallback). */
  wasOpen: boolean;
}

export interface ConnectionHandlers {
  onOpen(): void;
  /** One JSON message (an event, or a control message such as `pong`). */
  onMessage(message: unknown): void;
  onEnd(end: ConnectionEnd): void;
}

export interface Connection {
  close(): void;
  /** Send a control message upstream (WebSocket only); false when it could not be sent now. */
  send?(message: string): boolean;
}

export interface ConnectTarget {
  baseUrl: string;
  sessionId: string;
  token: string | null;
  since: number | undefined;
}

/** WebSocket close codes of our server (src/http/stream/ws.ts). */
const CLOSE_UNAUTHORIZED = 4001;
const CLOSE_SUSPENDED = 4003;
const CLOSE_NOT_FOUND = 4004;
const CLOSE_TOO_MANY = 4029;

export function connectWebSocket(Ctor: WebSocketConstructorLike, target: ConnectTarget, handlers: ConnectionHandlers, heartbeatMs: number): Connection {
  const query = new URLSearchParams();
  if (target.token) query.set('token', target.token);
  if (target.since !== undefined) query.set('since', String(target.since));
  const url = `${target.baseUrl.replace(/^http/, 'ws')}/ws/story/${encodeURIComponent(target.sessionId)}?${query}`;
  const ws = new Ctor(url);
  let open = false;
  let ended = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let lastHeard = Date.now();
  const end = (e: ConnectionEnd) => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    handlers.onEnd(e);
  };
  ws.onopen = () => {
    open = true;
    lastHeard = Date.now();
    handlers.onOpen();
    if (heartbeatMs > 0) {
      // A dropped network often closes nothing: ping, and give up on a socket that stays silent.
      heartbeat = setInterval(() => {
        if (Date.now() - lastHeard > heartbeatMs * 2) {
          ws.close(4000, 'heartbeat timeout');
          end({ wasOpen: true });
          return;
        }
        if (ws.readyState === 1) ws.send('{"type":"ping"}');
      }, heartbeatMs);
    }
  };
  ws.onmessage = (event: { data: unknown }) => {
    lastHeard = Date.now();
    if (typeof event.data !== 'string') return;
    try {
      handlers.onMessage(JSON.parse(event.data));
    } catch {
      // Not JSON: nothing our server sends; ignore it.
    }
  };
  ws.onerror = () => undefined;
  ws.onclose = (event: { code?: number }) => {
    const code = event.code ?? 1006;
    if (code === CLOSE_UNAUTHORIZED) end({ final: 'unauthorized', wasOpen: open });
    else if (code === CLOSE_SUSPENDED) end({ final: 'forbidden', wasOpen: open });
    else if (code === CLOSE_NOT_FOUND) end({ final: 'not_found', wasOpen: open });
    else end({ wasOpen: open, ...(code === CLOSE_TOO_MANY ? { minDelayMs: 5000 } : {}) });
  };
  return {
    send(message) {
      if (ws.readyState !== 1) return false;
      ws.send(message);
      return true;
    },
    close() {
      ended = true;
      clearInterval(heartbeat);
      ws.onopen = ws.onmessage = ws.onclose = null;
      try {
        ws.close(1000, 'client closed');
      } catch {
        // Closing a socket that never connected throws in some implementations.
      }
    },
  };
}

/** The server sends a keepalive comment every 15 s; silence for longer than this means a dead stream. */
const SSE_SILENCE_MS = 45_000;

export function connectSse(fetchImpl: (input: Request) => Promise<Response>, target: ConnectTarget, handlers: ConnectionHandlers): Connection {
  const abort = new AbortController();
  let ended = false;
  let open = false;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const end = (e: ConnectionEnd) => {
    if (ended) return;
    ended = true;
    clearTimeout(watchdog);
    abort.abort();
    handlers.onEnd(e);
  };
  const feedWatchdog = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => end({ wasOpen: open }), SSE_SILENCE_MS);
  };
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  if (target.since !== undefined) headers['last-event-id'] = String(target.since);
  const url = `${target.baseUrl}/api/sessions/${encodeURIComponent(target.sessionId)}/events`;
  void (async () => {
    feedWatchdog();
    const res = await fetchImpl(new Request(url, { headers, signal: abort.signal }));
    if (res.status === 401) return end({ final: 'unauthorized', wasOpen: false });
    if (res.status === 403) return end({ final: 'forbidden', wasOpen: false });
    if (res.status === 404) return end({ final: 'not_found', wasOpen: false });
    if (!res.ok || !res.body) return end({ wasOpen: false, ...(res.status === 429 ? { minDelayMs: 5000 } : {}) });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    // Frames without data (our keepalive comments) never reach onEvent; every frame of ours has data.
    const onFrame = (frame: EventSourceMessage) => {
      if (ended) return;
      if (frame.event === 'ready') {
        open = true;
        handlers.onOpen();
      } else if (frame.event === 'error') {
        end({ final: 'unauthorized', wasOpen: open });
      } else if (frame.data) {
        try {
          handlers.onMessage(JSON.parse(frame.data));
        } catch {
          // A frame that is not JSON is not one of ours.
        }
      }
    };
    const parser = createParser({ onEvent: onFrame });
    for (;;) {
      const { done, value } = await reader.read();
      if (done || ended) break;
      feedWatchdog();
      parser.feed(decoder.decode(value, { stream: true }));
      if (ended) return; // an `error` frame ended the stream
    }
    end({ wasOpen: open });
  })().catch(() => end({ wasOpen: open }));
  return {
    close() {
      ended = true;
      clearTimeout(watchdog);
      abort.abort();
    },
  };
}
