import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactPath } from '../../shared/redact-path.js';
import { ADMIN_TOKEN, createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';
import { playedSession } from './__fixtures__/played-session.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_SHARED_PER_MINUTE_PER_IP: '0' });
});
afterAll(() => t?.close());

describe('share links', () => {
  it('a shared transcript is read without a token, shows the timeline only, and is gone once revoked', async () => {
    const me = await t.guest();
    const sessionId = await playedSession(t, me);
    expect((await me.call('GET', `/api/sessions/${sessionId}/share`)).body).toEqual({ shared: false, created_at: null });
    const shared = await me.call('POST', `/api/sessions/${sessionId}/share`);
    expect(shared.status).toBe(201);
    expect(shared.body.token).toMatch(/^sh_[A-Za-z0-9_-]{32}$/);
    expect(shared.body.url).toBe(`http://localhost/s/${shared.body.token}`);
    expect((await me.call('GET', `/api/sessions/${sessionId}/share`)).body).toEqual({ shared: true, created_at: shared.body.created_at });

    const read = await t.request('GET', `/api/shared/${shared.body.token}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('cache-control')).toBe('no-store');
    expect(read.body.turns.map((x: { turn_no: number }) => x.turn_no)).toEqual([0, 1]);
    expect(read.body.turns[1]).toMatchObject({ input: 'I light the old brass lamp', action: 'do' });
    expect(read.body.story_title).toEqual(expect.any(String));
    // Nothing private: no memory or card text, no trace, no owner, no session id, no ink state.
    for (const secret of ['The keeper hid the logbook.', "The keeper's daughter.", me.userId, sessionId, 'trace', 'ink_state', 'memories', 'cards']) {
      expect(read.text).not.toContain(secret);
    }

    expect((await me.call('DELETE', `/api/sessions/${sessionId}/share`)).status).toBe(204);
    expectError(await t.request('GET', `/api/shared/${shared.body.token}`), 404, 'not_found');
    // Revoking again is harmless.
    expect((await me.call('DELETE', `/api/sessions/${sessionId}/share`)).status).toBe(204);
  });

  it('sharing again gives a new token and the old link stops working', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const first = (await me.call('POST', `/api/sessions/${sessionId}/share`)).body.token;
    const second = (await me.call('POST', `/api/sessions/${sessionId}/share`)).body.token;
    expect(second).not.toBe(first);
    expectError(await t.request('GET', `/api/shared/${first}`), 404, 'not_found');
    expect((await t.request('GET', `/api/shared/${second}`)).status).toBe(200);
  });

  it('someone else’s session: share, status and revoke are 404, and the owner’s link keeps working', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const token = (await me.call('POST', `/api/sessions/${sessionId}/share`)).body.token;
    const stranger = await t.guest();
    for (const method of ['POST', 'GET', 'DELETE']) expectError(await stranger.call(method, `/api/sessions/${sessionId}/share`), 404, 'session_not_found');
    expect((await t.request('GET', `/api/shared/${token}`)).status).toBe(200);
  });

  it('unknown and malformed tokens are 404; sharing needs a sign-in', async () => {
    expectError(await t.request('GET', `/api/shared/sh_${'A'.repeat(32)}`), 404, 'not_found');
    expectError(await t.request('GET', '/api/shared/nope'), 404, 'not_found');
    expectError(await t.request('POST', '/api/sessions/x/share'), 401, 'unauthorized');
  });

  it('a link to a session of a story a moderator hid is 404 until the story is shown again', async () => {
    const owner = await t.guest();
    const story = await owner.call('POST', '/api/stories', { title: 'Hidden', source: 'Once.\n* [Go] Gone.\n-> END\n' });
    expect(story.status).toBe(201);
    const session = await owner.call('POST', '/api/sessions', { story_id: story.body.id });
    const token = (await owner.call('POST', `/api/sessions/${session.body.session_id}/share`)).body.token;
    const admin = { token: ADMIN_TOKEN };
    expect((await t.request('PUT', `/api/admin/stories/${story.body.id}/hidden`, { ...admin, body: {} })).status).toBe(200);
    expectError(await t.request('GET', `/api/shared/${token}`), 404, 'not_found');
    expect((await t.request('DELETE', `/api/admin/stories/${story.body.id}/hidden`, admin)).status).toBe(200);
    expect((await t.request('GET', `/api/shared/${token}`)).status).toBe(200);
  });

  it('logs and traces never keep a shared token', () => {
    expect(redactPath(`/api/shared/sh_${'A'.repeat(32)}`)).toBe('/api/shared/[token]');
    expect(redactPath('/api/sessions/x/share')).toBe('/api/sessions/x/share');
  });

  it('reads are rate-limited per address', async () => {
    const me = await t.guest();
    const token = (await me.call('POST', `/api/sessions/${await t.newSession(me)}/share`)).body.token;
    const limited = t.withDeps({ security: { ...t.deps.security, sharedPerMinutePerIp: 2 } });
    expect((await limited('GET', `/api/shared/${token}`)).status).toBe(200);
    expect((await limited('GET', `/api/shared/${token}`)).status).toBe(200);
    expectError(await limited('GET', `/api/shared/${token}`), 429, 'rate_limited');
  });
});
