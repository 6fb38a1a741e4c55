/**
 * Accounts and limits against a real server in "Supabase mode": access tokens from a stand-in
 * identity provider (HS256 secret and a JWKS over HTTP), guest accounts off, small limits.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents } from '../support/clients.js';
import { startFakeIdp, unsignedToken, type FakeIdp } from '../support/jwt-issuer.js';

const SUPABASE_SECRET = 'supabase-secret-supabase-secret-supabase-0123';

/** Close code and reason of a socket, or the refused upgrade's status. */
function wsOutcome(url: string, onOpen?: (ws: WebSocket) => void): Promise<{ status?: number; code?: number; reason?: string; messages: string[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const messages: string[] = [];
    ws.on('message', (d) => messages.push(String(d)));
    ws.once('open', () => onOpen?.(ws));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode!, messages }));
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason), messages }));
    ws.once('error', () => undefined);
  });
}

describe('Supabase-mode authentication, limits and headers (real sockets)', () => {
  let idp: FakeIdp;
  let server: RunningServer;
  let storyId: string;
  let n = 0;
  /** A fresh user with an RS256 access token from the JWKS. */
  const newUser = async (expIn = 3600) => {
    const sub = `user-${++n}-${Date.now()}`;
    return { sub, token: await idp.signAsymmetric({ sub, expIn }) };
  };
  const wsBase = () => server.url.replace('http', 'ws');

  beforeAll(async () => {
    idp = await startFakeIdp();
    await idp.addKey('RS256');
    server = await startServer(
      loadEnv({
        LOG_LEVEL: 'silent',
        DATA_DIR: ':memory:',
        STORIES_DIR: 'tests/fixtures',
        PORT: '0',
        HOST: '127.0.0.1',
        SUPABASE_URL: idp.url,
        SUPABASE_JWT_SECRET: SUPABASE_SECRET,
        CORS_ORIGINS: 'https://app.example',
        TRUST_PROXY: 'true',
        RATE_LIMIT_ACTIONS_PER_MINUTE: '3',
        RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP: '5',
        RATE_LIMIT_UPLOADS_PER_HOUR: '2',
        MAX_STORIES_PER_USER: '1',
        MAX_SESSIONS_PER_USER: '2',
        MAX_SOCKETS_PER_USER: '2',
      }),
      silentLogger(),
    );
    const { token } = await newUser();
    storyId = (await api(server.url, token)('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  });
  afterAll(async () => {
    await server?.shutdown();
    await idp?.close();
  });

  describe('tokens', () => {
    it('guest accounts are off when an identity provider is configured', async () => {
      const guest = await api(server.url)('POST', '/api/auth/guest');
      expect(guest.status).toBe(403);
      expect(guest.body.error.code).toBe('forbidden');
    });

    it('accepts JWKS (RS256) and HS256 access tokens; refuses expired, wrong audience, wrong signature and alg none', async () => {
      const { token } = await newUser();
      expect((await api(server.url, token)('GET', '/api/stories')).status).toBe(200);
      const hs = await idp.signHs256({ sub: 'hs-user' }, SUPABASE_SECRET);
      expect((await api(server.url, hs)('GET', '/api/me/usage')).status).toBe(200);
      const refused = [
        await idp.signAsymmetric({ sub: 'x', expIn: -10 }),
        await idp.signAsymmetric({ sub: 'x', aud: 'anon' }),
        await idp.signHs256({ sub: 'x' }, 'not-the-project-secret-not-the-project-secret'),
        unsignedToken({ sub: 'x', aud: 'authenticated', iss: idp.issuer, exp: 4102444800 }),
      ];
      for (const t of refused) {
        const r = await api(server.url, t)('GET', '/api/stories');
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('unauthorized');
      }
    });
  });

  describe('streams and token expiry', () => {
    it('a WebSocket is closed with 4001 "token expired" when its token expires; SSE ends with an error event', async () => {
      const { token } = await newUser();
      const sessionId = (await api(server.url, token)('POST', '/api/sessions', { story_id: storyId })).body.session_id;
      const short = await idp.signAsymmetric({ sub: (await import('jose')).decodeJwt(token).sub!, expIn: 2 });
      const started = Date.now();
      const ws = await wsOutcome(`${wsBase()}/ws/story/${sessionId}?token=${short}`);
      expect(ws).toMatchObject({ code: 4001, reason: 'token expired' });
      expect(Date.now() - started).toBeLessThan(5_000);

      const short2 = await idp.signAsymmetric({ sub: (await import('jose')).decodeJwt(token).sub!, expIn: 2 });
      const res = await fetch(`${server.url}/api/sessions/${sessionId}/events`, { headers: { authorization: `Bearer ${short2}` }, signal: AbortSignal.timeout(8_000) });
      expect(res.status).toBe(200);
      const text = await res.text(); // the server ends the stream
      expect(text).toMatch(/event: error\ndata: \{"error":\{"code":"unauthorized","message":"Token expired"\}\}/);
    }, 20_000);

    it('authenticates by first message with ?auth=message; a bad token → 4001, another user → 4004, silence → 4001', async () => {
      const owner = await newUser();
      const other = await newUser();
      const sessionId = (await api(server.url, owner.token)('POST', '/api/sessions', { story_id: storyId })).body.session_id;
      const url = `${wsBase()}/ws/story/${sessionId}?auth=message`;
      const live = new WebSocket(url);
      await new Promise((r) => live.once('open', r));
      live.send(JSON.stringify({ type: 'auth', token: owner.token }));
      const got = new Promise<string>((r) => live.once('message', (d) => r(String(d))));
      await new Promise((r) => setTimeout(r, 200));
      const probe = await server.runtime.deps.bus.publish({ type: 'narration.delta', text: 'probe', sessionId, taskId: 't', turnNo: 9 });
      expect(JSON.parse(await got)).toMatchObject({ id: probe.id, type: 'narration.delta' });
      live.close();

      expect(await wsOutcome(url, (ws) => ws.send(JSON.stringify({ type: 'auth', token: 'not.a.jwt' })))).toMatchObject({ code: 4001 });
      expect(await wsOutcome(url, (ws) => ws.send(JSON.stringify({ type: 'auth', token: other.token })))).toMatchObject({ code: 4004 });
      expect(await wsOutcome(url, (ws) => ws.send('hello'))).toMatchObject({ code: 4001 });
    }, 20_000);

    it('caps open WebSockets per user: the third gets 429 before the upgrade', async () => {
      const { token } = await newUser();
      const sessionId = (await api(server.url, token)('POST', '/api/sessions', { story_id: storyId })).body.session_id;
      const url = `${wsBase()}/ws/story/${sessionId}?token=${token}`;
      const a = await openEvents(url);
      const b = await openEvents(url);
      expect((await wsOutcome(url)).status).toBe(429);
      a.close();
      await a.closed;
      await new Promise((r) => setTimeout(r, 50));
      const c = await openEvents(url);
      b.close();
      c.close();
    });
  });

  describe('stream cap across transports', () => {
    it('SSE streams count against the same per-user cap as WebSockets: 429 once two are open, a slot back when one ends', async () => {
      const { token } = await newUser();
      const sessionId = (await api(server.url, token)('POST', '/api/sessions', { story_id: storyId })).body.session_id;
      const wsUrl = `${wsBase()}/ws/story/${sessionId}?token=${token}`;
      const sseUrl = `${server.url}/api/sessions/${sessionId}/events`;
      const headers = { authorization: `Bearer ${token}` };
      const ws = await openEvents(wsUrl);
      const first = new AbortController();
      const sse = await fetch(sseUrl, { headers, signal: first.signal });
      expect(sse.status).toBe(200);
      const refused = await fetch(sseUrl, { headers });
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: unknown }).error).toMatchObject({ code: 'rate_limited', details: { limit: 2 } });
      expect((await wsOutcome(wsUrl)).status).toBe(429);
      // Ending the SSE stream gives its slot back.
      first.abort();
      await sse.body?.cancel().catch(() => undefined);
      let reopened: Response | undefined;
      for (let i = 0; i < 40 && reopened?.status !== 200; i++) {
        await reopened?.body?.cancel().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 50));
        reopened = await fetch(sseUrl, { headers, signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      }
      expect(reopened?.status).toBe(200);
      await reopened?.body?.cancel().catch(() => undefined);
      ws.close();
    });
  });

  describe('rate limits and quotas', () => {
    it('actions: per user, 429 with Retry-After after the limit; refused requests change nothing', async () => {
      const { token } = await newUser();
      const call = api(server.url, token);
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await call('POST', '/api/story/action', { session_id: 'nope', user_input: 'hi' }, { 'x-forwarded-for': `10.1.0.${n}` });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([404, 404, 404, 429]);
      expect(last!.body.error).toMatchObject({ code: 'rate_limited', details: { scope: 'user', limit: 3 } });
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(last!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    });

    it('actions: per IP (X-Forwarded-For honoured with TRUST_PROXY), across users', async () => {
      const ip = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { token } = await newUser();
        for (let j = 0; j < 2; j++) statuses.push((await api(server.url, token)('POST', '/api/story/action', { session_id: 'nope', user_input: 'hi' }, ip)).status);
      }
      expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
      const { token } = await newUser();
      expect((await api(server.url, token)('POST', '/api/story/action', { session_id: 'nope', user_input: 'hi' }, { 'x-forwarded-for': '203.0.113.8' })).status).toBe(404);
    });

    it('stories: a quota per user (403 quota), and an upload rate (429)', async () => {
      const { token } = await newUser();
      const call = api(server.url, token);
      const up = () => call('POST', '/api/stories', { title: 'Mine', source: 'Hello.\n-> END\n' });
      expect((await up()).status).toBe(201);
      const second = await up();
      expect(second.status).toBe(403);
      expect(second.body.error.details).toMatchObject({ quota: 'stories', limit: 1, used: 1 });
      const third = await up();
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await call('GET', '/api/stories')).body.stories.filter((s: { owner_id: string | null }) => s.owner_id !== null)).toHaveLength(1);
    });

    it('sessions: a quota per user', async () => {
      const { token } = await newUser();
      const call = api(server.url, token);
      expect((await call('POST', '/api/sessions', { story_id: storyId })).status).toBe(201);
      expect((await call('POST', '/api/sessions', { story_id: storyId })).status).toBe(201);
      const third = await call('POST', '/api/sessions', { story_id: storyId });
      expect(third.status).toBe(403);
      expect(third.body.error.details).toMatchObject({ quota: 'sessions', limit: 2 });
      expect(await server.runtime.deps.store.sessions.countSessions((await import('jose')).decodeJwt(token).sub!)).toBe(2);
    });
  });

  describe('browser policy', () => {
    it('sends security headers, and CORS only for allowed origins', async () => {
      const plain = await fetch(`${server.url}/healthz`);
      expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
      expect(plain.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(plain.headers.get('strict-transport-security')).toMatch(/max-age/);
      const preflight = (origin: string) =>
        fetch(`${server.url}/api/stories`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
      const allowed = await preflight('https://app.example');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      const denied = await preflight('https://evil.example');
      expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
