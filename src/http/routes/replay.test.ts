import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';
import { playedSession } from './__fixtures__/played-session.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('replay routes', () => {
  it('the owner replays a session identically, by range too, and the session stays as it was', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    for (const input of ['I light the old brass lamp', 'I climb the stairs', '階段を上る']) await t.play(me, sessionId, input);
    const before = (await me.call('GET', `/api/sessions/${sessionId}`)).body;
    const all = await me.call('POST', `/api/sessions/${sessionId}/replay`, {});
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ turns: 3, identical: true, first_divergence: null });
    expect((await me.call('POST', `/api/sessions/${sessionId}/replay`, { from: 2, to: 3 })).body).toEqual({ turns: 2, identical: true, first_divergence: null });
    expect((await me.call('POST', `/api/sessions/${sessionId}/replay`)).body.identical).toBe(true);
    expect((await me.call('GET', `/api/sessions/${sessionId}`)).body).toEqual(before);
  });

  it('what-if with live models answers a per-turn diff', async () => {
    const me = await t.guest();
    const sessionId = await playedSession(t, me);
    const res = await me.call('POST', `/api/sessions/${sessionId}/replay`, { live: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ turns: 1, live: true, diff: [{ turn: 1, choice: expect.any(Object), passage: expect.any(Object) }] });
    expectError(await me.call('POST', `/api/sessions/${sessionId}/replay`, { story_version: 99 }), 404, 'story_not_found');
  });

  it('the bundle holds the story and recordings, no user id; an admin may fetch it, another user may not', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    await t.play(me, sessionId, 'I light the old brass lamp');
    const bundle = await me.call('GET', `/api/sessions/${sessionId}/replay-bundle`);
    expect(bundle.status).toBe(200);
    expect(bundle.body.format).toBe('mock-drama.replay-bundle@1');
    expect(bundle.body.turns).toHaveLength(1);
    expect(bundle.body.stories[0].compiledJson).toEqual(expect.any(String));
    expect(bundle.text).not.toContain(me.userId);
    const admin = await t.account({ admin: true });
    expect((await admin.call('GET', `/api/sessions/${sessionId}/replay-bundle`)).body).toEqual(bundle.body);
    expect((await admin.call('POST', `/api/sessions/${sessionId}/replay`, {})).body.identical).toBe(true);
    const other = await t.account();
    expectError(await other.call('GET', `/api/sessions/${sessionId}/replay-bundle`), 404, 'session_not_found');
    expectError(await other.call('POST', `/api/sessions/${sessionId}/replay`, {}), 404, 'session_not_found');
    expectError(await admin.call('POST', '/api/sessions/nope/replay', {}), 404, 'session_not_found');
  });

  it('a range wider than REPLAY_MAX_TURNS is a 400 naming the count; a narrower one replays', async () => {
    const capped = await createTestApp({ REPLAY_MAX_TURNS: '2' });
    try {
      const me = await capped.guest();
      const sessionId = await capped.newSession(me);
      for (const input of ['I light the lamp', 'I climb', 'I look out']) await capped.play(me, sessionId, input);
      const wide = await me.call('POST', `/api/sessions/${sessionId}/replay`, {});
      expectError(wide, 400, 'bad_request');
      expect(wide.body.error.details).toEqual({ turns: 3, limit: 2 });
      expect((await me.call('POST', `/api/sessions/${sessionId}/replay`, { from: 2 })).body).toEqual({ turns: 2, identical: true, first_divergence: null });
    } finally {
      await capped.close();
    }
  });

  it('bad input is a 400', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    for (const body of [{ from: 0 }, { from: 'x' }, { to: 1.5 }, { from: 3, to: 2 }, { surprise: true }, { live: 'yes' }]) {
      expectError(await me.call('POST', `/api/sessions/${sessionId}/replay`, body), 400, 'bad_request');
    }
  });
});
