/**
 * API keys, moderation and suspension against a listening server, on PGlite and on PostgreSQL:
 * keys created, listed, used (Bearer, X-API-Key, WebSocket, SSE), revoked and capped; the admin
 * routes closed to everyone but admins; a suspended user refused on every way in.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { createLogger } from '../../src/shared/logger.js';
import { api, openEvents } from '../support/clients.js';
import { dbTargets, eventually } from '../support/test-env.js';
import { signUserToken } from '../support/user-tokens.js';

const SECRET = 'accounts-secret-accounts-secret-0123456789';
const ADMIN_TOKEN = 'accounts-admin-token-0123456789';

/** The close code of a socket, or the status of its refused upgrade. */
/** Counts the statements this process sends (node-postgres and PGlite) whose text matches `pattern`, until the returned stop. */
function countStatements(pattern: RegExp): { count: () => number; stop: () => void } {
  let n = 0;
  const undo: (() => void)[] = [];
  const wrap = (proto: object, name: string) => {
    const target = proto as Record<string, (...a: unknown[]) => unknown>;
    const original = target[name]!;
    target[name] = function (this: unknown, ...args: unknown[]) {
      const first = args[0] as string | { text?: string } | undefined;
      if (pattern.test(typeof first === 'string' ? first : (first?.text ?? ''))) n++;
      return original.apply(this, args);
    };
    undo.push(() => (target[name] = original));
  };
  wrap(pg.Client.prototype, 'query');
  wrap(Object.getPrototypeOf(PGlite.prototype) as object, 'query');
  return { count: () => n, stop: () => undo.forEach((u) => u()) };
}

function wsOutcome(url: string, onOpen?: (ws: WebSocket) => void): Promise<{ status?: number; code?: number; reason?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once('open', () => onOpen?.(ws));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode! }));
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) }));
    ws.once('error', () => undefined);
  });
}

describe.each(dbTargets())('API keys, moderation and suspension [$name]', (target) => {
  let server: RunningServer;
  let storyId: string;
  const logLines: string[] = [];
  const wsBase = () => server.url.replace('http', 'ws');
  const admin = () => signUserToken(SECRET, { admin: true });
  /** A user with a session on the shipped story and an API key. */
  const player = async () => {
    const user = await signUserToken(SECRET);
    const call = api(server.url, user.token);
    const created = await call('POST', '/api/keys', { name: 'game server' });
    expect(created.status).toBe(201);
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    return { ...user, call, key: created.body.key as string, keyId: created.body.id as string, sessionId };
  };

  beforeAll(async () => {
    server = await startServer(
      // A suspension cache shorter than the re-check, as in production (15 s against 30 s).
      target.env({ JWT_SECRET: SECRET, ADMIN_TOKEN, STORIES_DIR: 'tests/fixtures', MAX_API_KEYS_PER_USER: '3', LOG_LEVEL: 'info', STREAM_RECHECK_MS: '200', SUSPENSION_CACHE_MS: '100' }),
      createLogger('info', {}, { write: (line: string) => void logLines.push(line) }),
    );
    const { token } = await signUserToken(SECRET);
    storyId = (await api(server.url, token)('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await target.cleanup();
  });

  it('shows a new key once, lists keys without it, and the key acts as its owner over HTTP, WebSocket and SSE', async () => {
    const user = await signUserToken(SECRET);
    const call = api(server.url, user.token);
    const created = await call('POST', '/api/keys', { name: 'ci' });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^md_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ name: 'ci', prefix: key.slice(0, 11) });
    expect(created.headers.get('cache-control')).toBe('no-store');
    const listed = await call('GET', '/api/keys');
    expect(listed.body.keys).toEqual([{ id: created.body.id, name: 'ci', prefix: key.slice(0, 11), created_at: expect.any(String), last_used_at: null, revoked_at: null }]);
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(11));

    // Bearer and X-API-Key; what the key creates belongs to the key's owner.
    const viaKey = api(server.url, key);
    const sessionId = (await viaKey('POST', '/api/sessions', { story_id: storyId })).body.session_id;
    expect((await call('GET', `/api/sessions/${sessionId}`)).status).toBe(200);
    expect((await api(server.url)('GET', `/api/sessions/${sessionId}`, undefined, { 'x-api-key': key })).status).toBe(200);

    const ws = await openEvents(`${wsBase()}/ws/story/${sessionId}?token=${key}`);
    const byMessage = new WebSocket(`${wsBase()}/ws/story/${sessionId}?auth=message`);
    await new Promise((r) => byMessage.once('open', r));
    byMessage.send(JSON.stringify({ type: 'auth', token: key }));
    const got = new Promise<string>((r) => byMessage.once('message', (d) => r(String(d))));
    await new Promise((r) => setTimeout(r, 200));
    const probe = await server.runtime.deps.bus.publish({ type: 'narration.delta', text: 'probe', sessionId, taskId: 't', turnNo: 9 });
    expect((await ws.until((e) => e.id === probe.id)).type).toBe('narration.delta');
    expect(JSON.parse(await got)).toMatchObject({ id: probe.id });
    ws.close();
    byMessage.close();
    const sse = await fetch(`${server.url}/api/sessions/${sessionId}/events`, { headers: { 'x-api-key': key }, signal: AbortSignal.timeout(5_000) });
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toMatch(/text\/event-stream/);
    await sse.body?.cancel();

    const used = await eventually(async () => (await call('GET', '/api/keys')).body.keys[0].last_used_at ?? undefined, 5_000, 'last_used_at');
    expect(Date.parse(used)).toBeGreaterThan(Date.now() - 60_000);
    // Audit lines name the key by id and prefix only.
    const audit = logLines.filter((l) => l.includes('api_key.created') && l.includes(created.body.id));
    expect(audit).toHaveLength(1);
    expect(logLines.join('\n')).not.toContain(key.slice(11));
  });

  it('an API key cannot create keys; revoked and unknown keys get 401 with their own codes; nobody else can revoke a key', async () => {
    const a = await player();
    const b = await player();
    const viaKey = api(server.url, a.key);
    expect((await viaKey('GET', '/api/keys')).status).toBe(200);
    const minted = await viaKey('POST', '/api/keys', { name: 'sneaky' });
    expect(minted.status).toBe(403);
    expect(minted.body.error.code).toBe('forbidden');

    expect((await b.call('DELETE', `/api/keys/${a.keyId}`)).status).toBe(404);
    expect((await viaKey('GET', '/api/stories')).status).toBe(200);

    expect((await a.call('DELETE', `/api/keys/${a.keyId}`)).status).toBe(204);
    const revoked = await viaKey('GET', '/api/stories');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('api_key_revoked');
    expect((await wsOutcome(`${wsBase()}/ws/story/${a.sessionId}?token=${a.key}`)).status).toBe(401);
    expect((await a.call('GET', '/api/keys')).body.keys[0].revoked_at).toEqual(expect.any(String));

    for (const unknown of [`md_${'A'.repeat(43)}`, 'md_short']) {
      const r = await api(server.url, unknown)('GET', '/api/stories');
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('api_key_invalid');
    }
  });

  it('caps keys per user (403, quota api_keys); revoking one frees a place', async () => {
    const user = await signUserToken(SECRET);
    const call = api(server.url, user.token);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await call('POST', '/api/keys', { name: `k${i}` })).body.id);
    const fourth = await call('POST', '/api/keys', { name: 'k3' });
    expect(fourth.status).toBe(403);
    expect(fourth.body.error.details).toEqual({ quota: 'api_keys', limit: 3, used: 3 });
    expect((await call('DELETE', `/api/keys/${ids[0]}`)).status).toBe(204);
    expect((await call('POST', '/api/keys', { name: 'k3' })).status).toBe(201);
    expect((await call('GET', '/api/keys')).body.keys).toHaveLength(4);
  });

  it('moderation routes: 401 without a credential, 403 for users and their API keys, open to admins', async () => {
    const doc = (await api(server.url)('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/admin/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x') })));
    expect(routes.length).toBeGreaterThanOrEqual(6);
    const user = await player();
    for (const r of routes) {
      const body = r.method === 'PUT' ? { reason: 'test' } : undefined;
      expect((await api(server.url)(r.method, r.path, body)).status, `${r.method} ${r.path} anonymous`).toBe(401);
      const asUser = await user.call(r.method, r.path, body);
      expect(asUser.status, `${r.method} ${r.path} as a user`).toBe(403);
      expect(asUser.body.error.code).toBe('forbidden');
      expect((await api(server.url, user.key)(r.method, r.path, body)).status, `${r.method} ${r.path} with an API key`).toBe(403);
    }
    const own = await user.call('POST', '/api/stories', { title: 'Private notes', source: 'Mine.\n-> END\n' });
    const asAdmin = api(server.url, (await admin()).token);
    const all = (await asAdmin('GET', `/api/admin/stories?owner_id=${user.userId}`)).body.stories;
    expect(all).toEqual([expect.objectContaining({ id: own.body.id, owner_id: user.userId, visibility: 'private', hidden: false })]);
    expect((await api(server.url, ADMIN_TOKEN)('GET', '/api/admin/suspensions')).status).toBe(200);
  });

  it('streams already open are cut off: a suspension closes WebSocket (4003) and SSE (error event); revoking a key closes its socket (4001)', async () => {
    const user = await player();
    const moderator = await admin();
    const wsBy = (credential: string) => new WebSocket(`${wsBase()}/ws/story/${user.sessionId}?token=${credential}`);
    const closed = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: String(reason) })));
    const opened = (ws: WebSocket) => new Promise((r) => ws.once('open', r));

    // Revoking the key ends the socket that key opened; the owner's other stream stays.
    const byKey = wsBy(user.key);
    const byToken = wsBy(user.token);
    await Promise.all([opened(byKey), opened(byToken)]);
    const keyClosed = closed(byKey);
    expect((await user.call('DELETE', `/api/keys/${user.keyId}`)).status).toBe(204);
    expect(await keyClosed).toEqual({ code: 4001, reason: 'api key revoked' });
    expect(byToken.readyState).toBe(WebSocket.OPEN);

    // A suspension ends the token's socket and an SSE stream.
    const sse = await fetch(`${server.url}/api/sessions/${user.sessionId}/events`, { headers: { authorization: `Bearer ${user.token}` }, signal: AbortSignal.timeout(20_000) });
    expect(sse.status).toBe(200);
    const tokenClosed = closed(byToken);
    expect((await api(server.url, moderator.token)('PUT', `/api/admin/users/${user.userId}/suspension`, { reason: 'abuse' })).status).toBe(200);
    expect(await tokenClosed).toEqual({ code: 4003, reason: 'account suspended' });
    expect(await sse.text()).toMatch(/event: error\ndata: \{"error":\{"code":"account_suspended"/);
    expect((await api(server.url, moderator.token)('DELETE', `/api/admin/users/${user.userId}/suspension`)).status).toBe(204);
  }, 30_000);

  it('re-checks open streams together: one read of the suspensions a round for many players, not one per stream', async () => {
    const players = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const user = await signUserToken(SECRET);
        const sessionId = (await api(server.url, user.token)('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
        return { ...user, sessionId };
      }),
    );
    const sockets = await Promise.all(players.map((p) => openEvents(`${wsBase()}/ws/story/${p.sessionId}?token=${p.token}`)));
    const reads = countStatements(/suspended_users/);
    try {
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      reads.stop();
    }
    // About five rounds of 200 ms, each one statement for all twelve (it was one per socket: ~60).
    expect(reads.count()).toBeGreaterThan(0);
    expect(reads.count()).toBeLessThanOrEqual(7);
    for (const ws of sockets) ws.close();
  });

  it('a suspended user is refused on every way in with 403 account_suspended; reinstating them restores access', async () => {
    const user = await player();
    const moderator = await admin();
    const asAdmin = api(server.url, moderator.token);
    const suspended = await asAdmin('PUT', `/api/admin/users/${user.userId}/suspension`, { reason: 'spamming the narrator' });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ user_id: user.userId, reason: 'spamming the narrator', suspended_by: moderator.userId });

    for (const credential of [user.token, user.key]) {
      const r = await api(server.url, credential)('GET', '/api/stories');
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('account_suspended');
      expect((await api(server.url, credential)('GET', `/api/sessions/${user.sessionId}/events`)).status).toBe(403);
      expect((await wsOutcome(`${wsBase()}/ws/story/${user.sessionId}?token=${credential}`)).status).toBe(403);
      const byMessage = await wsOutcome(`${wsBase()}/ws/story/${user.sessionId}?auth=message`, (ws) => ws.send(JSON.stringify({ type: 'auth', token: credential })));
      expect(byMessage).toMatchObject({ code: 4003, reason: 'account suspended' });
    }
    expect((await asAdmin('GET', '/api/admin/suspensions')).body.suspensions).toContainEqual(expect.objectContaining({ user_id: user.userId }));
    expect(logLines.some((l) => l.includes('moderation.user_suspended') && l.includes(user.userId) && l.includes(moderator.userId))).toBe(true);

    expect((await asAdmin('DELETE', `/api/admin/users/${user.userId}/suspension`)).status).toBe(204);
    expect((await user.call('GET', '/api/stories')).status).toBe(200);
    expect((await api(server.url, user.key)('GET', '/api/stories')).status).toBe(200);
    expect((await asAdmin('DELETE', `/api/admin/users/${user.userId}/suspension`)).status).toBe(404);
  });
});
