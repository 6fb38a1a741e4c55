/** Real network clients for e2e tests: JSON over fetch, WebSocket (ws), and an SSE reader. */
import { createParser } from 'eventsource-parser';
import WebSocket from 'ws';

export interface ApiEvent {
  id: number;
  type: string;
  [key: string]: unknown;
}

export function api(base: string, token?: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { raw: text };
    }
    return { status: res.status, body: json, headers: res.headers };
  };
}

/** A WebSocket that records every JSON message; `until` waits for a matching one. */
export interface EventSocket {
  events: ApiEvent[];
  /** When each event arrived (performance.timeOrigin + performance.now(), ms), aligned with `events`. */
  receivedAt: number[];
  /** Headers of the upgrade response (e.g. X-Instance: which server answered). */
  headers: Record<string, string | string[] | undefined>;
  until(pred: (e: ApiEvent) => boolean, ms?: number): Promise<ApiEvent>;
  /** Send a client frame (e.g. `{"type":"typing"}`). */
  send(data: string): void;
  close(): void;
  closed: Promise<number>;
}

export async function openEvents(url: string): Promise<EventSocket> {
  const ws = new WebSocket(url);
  let headers: EventSocket['headers'] = {};
  ws.on('upgrade', (res) => {
    headers = res.headers;
  });
  const events: ApiEvent[] = [];
  const receivedAt: number[] = [];
  const waiters: { pred: (e: ApiEvent) => boolean; resolve: (e: ApiEvent) => void }[] = [];
  ws.on('message', (data) => {
    const event = JSON.parse(String(data)) as ApiEvent;
    receivedAt.push(performance.timeOrigin + performance.now());
    events.push(event);
    for (const w of [...waiters]) if (w.pred(event)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(event);
    }
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  return {
    events,
    receivedAt,
    closed,
    get headers() {
      return headers;
    },
    until(pred, ms = 10_000) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event; got ${events.map((e) => e.type).join(',')}`)), ms);
        waiters.push({ pred, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
    send: (data) => ws.send(data),
    close: () => ws.close(),
  };
}

/**
 * The frames of an SSE body as `{type, data}`, in order, parsed by `eventsource-parser` (the parser
 * the SDK uses). Comment-only blocks (keepalives) carry no data and are not frames.
 */
export async function* sseFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<{ type: string | undefined; data: string }> {
  const decoder = new TextDecoder();
  const frames: { type: string | undefined; data: string }[] = [];
  const parser = createParser({ onEvent: (m) => frames.push({ type: m.event, data: m.data }) });
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    yield* frames.splice(0);
  }
}

/** Read an SSE stream until `stop` returns true for an event, or the time runs out. */
export async function readSse(url: string, headers: Record<string, string>, stop: (e: ApiEvent) => boolean, ms = 10_000): Promise<{ events: ApiEvent[]; status: number }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: ApiEvent[] = [];
  if (!res.ok || !res.body) {
    clearTimeout(timer);
    return { events, status: res.status };
  }
  try {
    for await (const { type, data } of sseFrames(res.body)) {
      if (!data || type === 'ready') continue;
      const event = JSON.parse(data) as ApiEvent;
      events.push(event);
      if (stop(event)) {
        controller.abort();
        return { events, status: res.status };
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
  }
  return { events, status: res.status };
}
