import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('happy path', () => {
  it('GET /api/sessions: your sessions, most recently played first, with the story title and a preview', async () => {
    const me = await t.guest();
    const older = await t.newSession(me, 'long-watch');
    const newer = await t.newSession(me);
    await t.play(me, older, 'I ring the brass bell');
    const res = await me.call('GET', '/api/sessions');
    expect(res.status).toBe(200);
    expect(res.body.next_before).toBeNull();
    expect(res.body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([older, newer]);
    expect(res.body.sessions[0]).toEqual({
      session_id: older,
      story_id: await t.storyId('long-watch'),
      story_title: 'The Long Watch',
      turn_no: 1,
      status: 'active',
      preview: expect.stringContaining('The lamp room hums.'),
      role: 'owner',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(res.body.sessions[1]).toMatchObject({ story_title: 'The Vault', turn_no: 0, preview: expect.stringContaining('A cold hall') });
  });

  it('pages with limit and next_before', async () => {
    const me = await t.guest();
    const ids = [await t.newSession(me), await t.newSession(me), await t.newSession(me)].reverse();
    const first = await me.call('GET', '/api/sessions?limit=2');
    expect(first.body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual(ids.slice(0, 2));
    expect(first.body.next_before).toBe(first.body.sessions[1].updated_at);
    const rest = await me.call('GET', `/api/sessions?limit=2&before=${encodeURIComponent(first.body.next_before)}`);
    expect(rest.body).toEqual({ sessions: [expect.objectContaining({ session_id: ids[2] })], next_before: null });
  });

  it("lists nobody else's sessions; a story the player can no longer see has a null title (as the schema says)", async () => {
    const owner = await t.guest();
    const story = await owner.call('POST', '/api/stories', { title: 'Mine', source: 'Hello.\n* [Bye] -> END\n', visibility: 'public' });
    const player = await t.guest();
    const sessionId = (await player.call('POST', '/api/sessions', { story_id: story.body.id })).body.session_id;
    expect((await owner.call('GET', '/api/sessions')).body.sessions).toEqual([]);
    expect((await player.call('GET', '/api/sessions')).body.sessions).toEqual([expect.objectContaining({ session_id: sessionId, story_title: 'Mine' })]);
    // Made private and renamed: the new title is the owner's business.
    expect((await owner.call('PATCH', `/api/stories/${story.body.id}`, { visibility: 'private', title: 'Secret' })).status).toBe(200);
    expect((await player.call('GET', '/api/sessions')).body.sessions).toEqual([expect.objectContaining({ session_id: sessionId, story_title: null })]);
    // Its owner, playing it, still sees it.
    await owner.call('POST', '/api/sessions', { story_id: story.body.id });
    expect((await owner.call('GET', '/api/sessions')).body.sessions).toEqual([expect.objectContaining({ story_title: 'Secret' })]);
  });
});

describe('errors', () => {
  it('is 401 without a valid token', async () => {
    expectError(await t.request('GET', '/api/sessions'), 401, 'unauthorized');
    expectError(await t.request('GET', '/api/sessions', { token: 'bad' }), 401, 'unauthorized');
  });

  it('is 400 for a bad page', async () => {
    const me = await t.guest();
    for (const query of ['limit=0', 'limit=201', 'limit=ten', 'before=yesterday', 'before=2026-01-01']) {
      expectError(await me.call('GET', `/api/sessions?${query}`), 400, 'bad_request');
    }
  });
});
