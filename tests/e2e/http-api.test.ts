import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents, readSse } from '../support/clients.js';
import { eventually } from '../support/test-env.js';

const ENV = {
  JWT_SECRET: 'http-test-secret-http-test-secret-0123456789',
  LOG_LEVEL: 'silent',
  DATA_DIR: ':memory:',
  STORIES_DIR: 'tests/fixtures',
  PORT: '0',
  // Slow the offline narrator a little so a turn is observably in flight.
  OFFLINE_CHUNK_DELAY_MS: '15',
  MAX_BODY_BYTES: '8192',
  MAX_INPUT_CHARS: '500',
};

describe('HTTP API, WebSocket and SSE (all-in-one, real sockets)', () => {
  let server: RunningServer;
  let token: string;
  let userId: string;
  let storyId: string;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    server = await startServer(loadEnv(ENV), silentLogger());
    const guest = await api(server.url)('POST', '/api/auth/guest');
    expect(guest.status).toBe(200);
    token = guest.body.token;
    userId = guest.body.user_id;
    call = api(server.url, token);
    const stories = await call('GET', '/api/stories');
    storyId = stories.body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  const wsUrl = (sessionId: string, extra = '') => `${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${token}${extra}`;
  const newSession = async () => (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
  const waitDone = (taskId: string) =>
    eventually(async () => {
      const r = await call('GET', `/api/story/status/${taskId}`);
      return ['completed', 'failed'].includes(r.body.status) ? r.body : undefined;
    });

  it('plays the full loop: action → streamed events in order → completed → session advanced', async () => {
    const created = await call('POST', '/api/sessions', { story_id: storyId });
    expect(created.status).toBe(201);
    expect(created.body.opening.text).toContain('A cold hall');
    const sessionId = created.body.session_id;
    const ws = await openEvents(wsUrl(sessionId));
    const accepted = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the old brass lamp' });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ task_id: expect.any(String), status: 'processing' });
    await ws.until((e) => e.type === 'turn.completed');
    const types = ws.events.map((e) => e.type);
    expect(types[0]).toBe('turn.started');
    expect(types.filter((t) => t === 'narration.delta').length).toBeGreaterThan(1);
    expect(types.slice(-2)).toEqual(['turn.decision', 'turn.completed']);
    for (let i = 1; i < ws.events.length; i++) expect(ws.events[i]!.id).toBeGreaterThan(ws.events[i - 1]!.id);
    ws.close();

    const status = await waitDone(accepted.body.task_id);
    expect(status.status).toBe('completed');
    expect(status.result.turn_no).toBe(1);
    expect(status.result.decision.choice_index).toBe(0);
    const session = await call('GET', `/api/sessions/${sessionId}`);
    expect(session.body).toMatchObject({ turn_no: 1, status: 'active', variables: { lamp_lit: true } });
    const turns = await call('GET', `/api/sessions/${sessionId}/turns`);
    expect(turns.body.turns.map((t: { turn_no: number }) => t.turn_no)).toEqual([0, 1]);
  });

  it('a reconnecting WebSocket with ?since= receives exactly the missed events, then live ones', async () => {
    const sessionId = await newSession();
    const first = await openEvents(wsUrl(sessionId));
    const accepted = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
    await first.until((e) => e.type === 'turn.completed');
    first.close();
    const all = first.events;
    const since = all[2]!.id;
    const second = await openEvents(wsUrl(sessionId, `&since=${since}`));
    await second.until((e) => e.id === all.at(-1)!.id);
    expect(second.events.map((e) => e.id)).toEqual(all.slice(3).map((e) => e.id));
    await waitDone(accepted.body.task_id);
    const next = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'hum a tune' });
    expect(next.status).toBe(202);
    const live = await second.until((e) => e.type === 'turn.completed' && e.turn_no === 2);
    expect(live.id).toBeGreaterThan(all.at(-1)!.id);
    second.close();
  });

  it('streams the same events over SSE and resumes from Last-Event-ID', async () => {
    const sessionId = await newSession();
    const sseUrl = `${server.url}/api/sessions/${sessionId}/events`;
    const reading = readSse(sseUrl, { authorization: `Bearer ${token}` }, (e) => e.type === 'turn.completed');
    await new Promise((r) => setTimeout(r, 100));
    await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
    const { events } = await reading;
    expect(events[0]!.type).toBe('turn.started');
    expect(events.at(-1)!.type).toBe('turn.completed');
    const resumed = await readSse(sseUrl, { authorization: `Bearer ${token}`, 'last-event-id': String(events[1]!.id) }, (e) => e.id === events.at(-1)!.id);
    expect(resumed.events.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
  });

  it('answers 409 turn_in_progress to a second action while a turn runs', async () => {
    const sessionId = await newSession();
    const first = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
    const second = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'leave' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('turn_in_progress');
    await waitDone(first.body.task_id);
  });

  it('returns the same task for a retried POST with the same Idempotency-Key', async () => {
    const sessionId = await newSession();
    const body = { session_id: sessionId, user_input: 'light the lamp' };
    const a = await call('POST', '/api/story/action', body, { 'idempotency-key': 'k-1' });
    const b = await call('POST', '/api/story/action', body, { 'idempotency-key': 'k-1' });
    expect(b.status).toBe(202);
    expect(b.body.task_id).toBe(a.body.task_id);
    await waitDone(a.body.task_id);
    const c = await call('POST', '/api/story/action', body, { 'idempotency-key': 'k-1' });
    expect(c.body.task_id).toBe(a.body.task_id);
    const turns = await call('GET', `/api/sessions/${sessionId}/turns`);
    expect(turns.body.turns).toHaveLength(2);
  });

  describe('errors are JSON with the right status', () => {
    it('400 for malformed JSON and for schema violations, naming the field', async () => {
      const malformed = await call('POST', '/api/story/action', '{"session_id": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('bad_request');
      const invalid = await call('POST', '/api/story/action', { session_id: 'x', user_input: 42 });
      expect(invalid.status).toBe(400);
      expect(JSON.stringify(invalid.body.error.details)).toContain('user_input');
      const badAction = await call('POST', '/api/story/action', { session_id: 'x', user_input: 'hi', action: 'dance' });
      expect(badAction.status).toBe(400);
      expect(JSON.stringify(badAction.body.error.details)).toContain('action');
    });

    it('401 without a token or with a bad one', async () => {
      const none = await api(server.url)('GET', '/api/stories');
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe('unauthorized');
      const bad = await api(server.url, 'not.a.jwt')('GET', '/api/stories');
      expect(bad.status).toBe(401);
      await expect(openEvents(`${server.url.replace('http', 'ws')}/ws/story/x`)).rejects.toThrow(/401/);
    });

    it("404 for unknown ids and for another user's session", async () => {
      expect((await call('GET', '/api/sessions/nope')).status).toBe(404);
      expect((await call('GET', '/api/stories/nope')).status).toBe(404);
      expect((await call('GET', '/api/story/status/nope')).status).toBe(404);
      expect((await call('POST', '/api/sessions', { story_id: 'nope' })).status).toBe(404);
      expect((await call('GET', '/api/no-such-route')).status).toBe(404);
      const mine = await newSession();
      const other = await api(server.url)('POST', '/api/auth/guest');
      const theirs = api(server.url, other.body.token);
      expect((await theirs('GET', `/api/sessions/${mine}`)).status).toBe(404);
      expect((await theirs('POST', '/api/story/action', { session_id: mine, user_input: 'hi' })).status).toBe(404);
      await expect(openEvents(`${server.url.replace('http', 'ws')}/ws/story/${mine}?token=${other.body.token}`)).rejects.toThrow(/404/);
      expect(other.body.user_id).not.toBe(userId);
    });

    it('413 for an oversized body and an over-long user_input', async () => {
      const sessionId = await newSession();
      const huge = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'a'.repeat(10_000) });
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('payload_too_large');
      const long = await call('POST', '/api/story/action', { session_id: sessionId, user_input: '字'.repeat(501) });
      expect(long.status).toBe(413);
      const ok = await call('POST', '/api/story/action', { session_id: sessionId, user_input: '字'.repeat(500) });
      expect(ok.status).toBe(202);
      await waitDone(ok.body.task_id);
    });

    it('a refused oversized upload leaves the keep-alive connection usable: every later request is answered', async () => {
      // Node's fetch reuses kept-alive connections, as browsers and SDKs do. Each refusal is
      // followed by ordinary requests; none may fail because of the refused one.
      const chunked = (bytes: number) => {
        const piece = new TextEncoder().encode('a'.repeat(10_000));
        let sent = 0;
        return new ReadableStream<Uint8Array>({
          pull(c) {
            if (sent >= bytes) return c.close();
            c.enqueue(piece);
            sent += piece.length;
          },
        });
      };
      const refusals: [string, () => RequestInit['body']][] = [
        ['530 KB, chunked', () => chunked(530_000)],
        ['530 KB, with its length', () => JSON.stringify({ session_id: 'x', user_input: 'a'.repeat(530_000) })],
        ['2 MB, with its length', () => JSON.stringify({ session_id: 'x', user_input: 'a'.repeat(2_000_000) })],
      ];
      for (const [what, body] of refusals) {
        const huge = await fetch(`${server.url}/api/story/action`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body(),
          duplex: 'half',
        } as RequestInit);
        expect(huge.status, what).toBe(413);
        expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
        for (let i = 0; i < 4; i++) {
          const res = await fetch(`${server.url}/healthz`);
          expect(res.status, `${what}: request ${i + 1} after the refusal`).toBe(200);
          await res.arrayBuffer();
        }
      }
    });

    it('422 with {line, message} items for ink that does not compile', async () => {
      const res = await call('POST', '/api/stories', { title: 'Broken', source: '-> start\n=== start ===\nHi {oops\n* [Go] -> nowhere\n' });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('ink_compile_error');
      expect(res.body.error.details[0]).toEqual({ line: expect.any(Number), message: expect.any(String) });
      const good = await call('POST', '/api/stories', { title: 'Mine', source: '-> a\n=== a ===\nHello.\n* [Bye] -> END\n' });
      expect(good.status).toBe(201);
      expect(good.body.owner_id).toBe(userId);
    });
  });

  it('serves the OpenAPI document and an offline /docs page', async () => {
    const doc = await api(server.url)('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const path of ['/api/story/action', '/api/story/status/{task_id}', '/api/sessions', '/api/stories']) expect(doc.body.paths[path]).toBeDefined();
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/docs/scalar.js');
    expect(html).not.toContain('cdn.jsdelivr');
    const script = await fetch(`${server.url}/docs/scalar.js`);
    expect(script.status).toBe(200);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await api(server.url)('GET', '/healthz')).status).toBe(200);
    expect((await api(server.url)('GET', '/readyz')).body.status).toBe('ready');
  });
});
