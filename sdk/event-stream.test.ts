/**
 * The SDK against a real listening server: typed calls and error codes, events that match the
 * document's SessionEvent schema, a WebSocket cut mid-turn (reconnect with since, nothing twice,
 * nothing lost), and the SSE fallback when WebSockets do not get through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SessionEventSchema } from '../src/http/event-schemas.js';
import { startServer, type RunningServer } from '../src/runtime/start-server.js';
import { silentLogger } from '../src/shared/logger.js';
import { testServerEnv } from '../tests/support/test-env.js';
import { createDramaClient, isDramaApiError, unwrap, type DramaClient, type SessionEvent, type StreamStatus, type WebSocketLike } from './index.js';

let server: RunningServer;
let drama: DramaClient;
let storyId: string;

beforeAll(async () => {
  server = await startServer(testServerEnv({ JWT_SECRET: 'sdk-test-secret-0123456789abcdefghijkl', OFFLINE_CHUNK_DELAY_MS: '15', RATE_LIMIT_ACTIONS_PER_MINUTE: '0' }), silentLogger());
  drama = createDramaClient({ baseUrl: server.url });
  await drama.signInAsGuest();
  const { stories } = await unwrap(drama.api.GET('/api/stories'));
  storyId = stories.find((s) => s.slug === 'vault')!.id;
});

afterAll(async () => {
  await server?.shutdown();
});

async function newSession(): Promise<string> {
  return (await unwrap(drama.api.POST('/api/sessions', { body: { story_id: storyId } }))).session_id;
}

/** WebSocket from `ws` whose instances the test can reach (to cut them). */
function trackedWebSocket() {
  const sockets: WebSocket[] = [];
  class Tracked extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return { Ctor: Tracked as unknown as new (url: string) => WebSocketLike, sockets };
}

function collect(sessionId: string, options: Partial<Parameters<DramaClient['events']>[1]> = {}) {
  const events: SessionEvent[] = [];
  const statuses: StreamStatus[] = [];
  let onCompleted: (e: SessionEvent) => void = () => undefined;
  const completed = new Promise<SessionEvent>((resolve) => (onCompleted = resolve));
  const stream = drama.events(sessionId, {
    WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike,
    ...options,
    onEvent(e) {
      events.push(e);
      options.onEvent?.(e);
      if (e.type === 'turn.completed' || e.type === 'turn.failed') onCompleted(e);
    },
    onStatus: (s) => statuses.push(s),
  });
  return { stream, events, statuses, completed };
}

describe('SDK client', () => {
  it('types the calls and throws DramaApiError with the server code', async () => {
    const sessionId = await newSession();
    const session = await unwrap(drama.api.GET('/api/sessions/{id}', { params: { path: { id: sessionId } } }));
    expect(session.choices.length).toBeGreaterThan(0);
    await unwrap(drama.api.POST('/api/story/action', { body: { session_id: sessionId, user_input: 'light the lamp', action: 'do' } }));
    const second = await unwrap(drama.api.POST('/api/story/action', { body: { session_id: sessionId, user_input: 'again', action: 'do' } })).catch((e: unknown) => e);
    expect(isDramaApiError(second, 'turn_in_progress')).toBe(true);
    expect((second as { status: number }).status).toBe(409);
    const missing = await unwrap(drama.api.GET('/api/sessions/{id}', { params: { path: { id: 'nope' } } })).catch((e: unknown) => e);
    expect(isDramaApiError(missing, 'session_not_found')).toBe(true);
    const offline = await unwrap(createDramaClient({ baseUrl: 'http://127.0.0.1:1' }).api.GET('/api/stories')).catch((e: unknown) => e);
    expect(isDramaApiError(offline, 'network_error')).toBe(true);
  });
});

describe('SDK event stream', () => {
  it('delivers every event of a turn once, matching the SessionEvent schema', async () => {
    const sessionId = await newSession();
    const { stream, events, completed } = collect(sessionId, { since: 0 });
    await stream.opened;
    await unwrap(drama.api.POST('/api/story/action', { body: { session_id: sessionId, user_input: 'I light the old brass lamp', action: 'do' } }));
    const done = await completed;
    stream.close();
    for (const e of events) expect(() => SessionEventSchema.parse(e), e.type).not.toThrow();
    expect(events.map((e) => e.type)).toContain('narration.delta');
    expect(done.type).toBe('turn.completed');
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(stream.state).toBe('closed');
  });

  it('reconnects with since after the socket is cut mid-turn: no event lost, none twice', async () => {
    const sessionId = await newSession();
    const { Ctor, sockets } = trackedWebSocket();
    let cut = false;
    const { stream, events, statuses, completed } = collect(sessionId, {
      since: 0,
      WebSocket: Ctor,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      onEvent(e) {
        // Cut the connection under the stream after a few deltas, as a network drop would.
        if (!cut && e.type === 'narration.delta' && events.filter((x) => x.type === 'narration.delta').length === 3) {
          cut = true;
          sockets.at(-1)!.terminate();
        }
      },
    });
    await stream.opened;
    await unwrap(drama.api.POST('/api/story/action', { body: { session_id: sessionId, user_input: 'I leave the vault through the front door', action: 'do' } }));
    const done = await completed;
    stream.close();
    expect(cut).toBe(true);
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    expect(statuses.some((s) => s.state === 'reconnecting')).toBe(true);
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const narration = events.flatMap((e) => (e.type === 'narration.delta' ? [e.text] : [])).join('');
    expect(done.type === 'turn.completed' && done.result.response).toBe(narration);
  });

  it('falls back to SSE when WebSockets never connect', async () => {
    const sessionId = await newSession();
    class Refused extends WebSocket {
      constructor(url: string) {
        super(url.replace('/ws/story/', '/ws/nowhere/'));
        this.on('error', () => undefined);
      }
    }
    const { stream, events, completed } = collect(sessionId, { since: 0, WebSocket: Refused as unknown as new (url: string) => WebSocketLike, reconnect: { initialDelayMs: 20, maxDelayMs: 50 } });
    await stream.opened;
    expect(stream.transport).toBe('sse');
    await unwrap(drama.api.POST('/api/story/action', { body: { session_id: sessionId, user_input: 'light the lamp', action: 'do' } }));
    const done = await completed;
    stream.close();
    expect(done.type).toBe('turn.completed');
    expect(events.some((e) => e.type === 'narration.delta')).toBe(true);
  });

  it('ends for good on a session that is not the caller’s', async () => {
    const { stream, statuses } = collect('not-a-session', { transport: 'sse' });
    await expect(stream.opened).rejects.toThrow(/not_found/);
    expect(statuses.at(-1)).toMatchObject({ state: 'closed', reason: 'not_found' });
  });
});
