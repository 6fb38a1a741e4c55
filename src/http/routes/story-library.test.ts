import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const INK = 'A door creaks open.\n* [Go in] -> END\n';
const upload = async (user: User, title: string, visibility: 'private' | 'public' = 'private') => {
  const res = await user.call('POST', '/api/stories', { title, source: INK, visibility });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const titles = (body: { stories: { title: string }[] }) => body.stories.map((s) => s.title);

describe('GET /api/stories: search, scope, sort and pages', () => {
  it('searches titles as substrings, case-insensitive, CJK included; % and _ match themselves', async () => {
    const me = await t.account();
    await upload(me, '雾中的灯塔');
    await upload(me, 'The Misty Harbour');
    await upload(me, '100% Rain');
    expect(titles((await me.call('GET', `/api/stories?q=${encodeURIComponent('灯塔')}&scope=mine`)).body)).toEqual(['雾中的灯塔']);
    expect(titles((await me.call('GET', '/api/stories?q=mIsTy&scope=mine')).body)).toEqual(['The Misty Harbour']);
    expect(titles((await me.call('GET', `/api/stories?q=${encodeURIComponent('%')}&scope=mine`)).body)).toEqual(['100% Rain']);
    expect(titles((await (await t.account()).call('GET', `/api/stories?q=${encodeURIComponent('灯塔')}`)).body)).toEqual([]);
  });

  it('scope=public leaves out your private stories; scope=mine leaves out the shipped ones', async () => {
    const me = await t.account();
    const priv = await upload(me, 'Private one');
    const pub = await upload(me, 'Public one', 'public');
    const ids = async (scope: string) => (await me.call('GET', `/api/stories?scope=${scope}`)).body.stories.map((s: { id: string }) => s.id);
    expect(await ids('public')).toContain(pub);
    expect(await ids('public')).not.toContain(priv);
    expect((await ids('mine')).sort()).toEqual([priv, pub].sort());
  });

  it('sorts by title, newest and most played, and pages with next_cursor', async () => {
    const me = await t.account();
    const b = await upload(me, 'b middle');
    await upload(me, 'A first');
    await upload(me, 'c last');
    const mine = (q: string) => me.call('GET', `/api/stories?scope=mine&${q}`);
    expect(titles((await mine('sort=title')).body)).toEqual(['A first', 'b middle', 'c last']);
    expect(titles((await mine('sort=newest')).body)).toEqual(['c last', 'A first', 'b middle']);
    expect((await me.call('POST', '/api/sessions', { story_id: b })).status).toBe(201);
    expect(titles((await mine('sort=played')).body)[0]).toBe('b middle');
    const first = await mine('sort=title&limit=2');
    expect(titles(first.body)).toEqual(['A first', 'b middle']);
    const second = await mine(`sort=title&limit=2&cursor=${first.body.next_cursor}`);
    expect({ titles: titles(second.body), next: second.body.next_cursor }).toEqual({ titles: ['c last'], next: null });
    expect((await mine('')).body.next_cursor).toBeNull();
  });

  it('is 400 for a bad sort, limit, scope or cursor', async () => {
    const me = await t.guest();
    for (const q of ['sort=popular', 'limit=0', 'limit=101', 'limit=x', 'scope=others', 'cursor=abc']) {
      expectError(await me.call('GET', `/api/stories?${q}`), 400, 'bad_request');
    }
  });
});

describe('DELETE /api/stories/:id', () => {
  it('removes a story nobody plays: gone from listings and lookups', async () => {
    const me = await t.account();
    const id = await upload(me, 'Short-lived');
    const res = await me.call('DELETE', `/api/stories/${id}`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { removed: true, sessions: 0 } });
    expectError(await me.call('GET', `/api/stories/${id}`), 404, 'story_not_found');
    expect(titles((await me.call('GET', '/api/stories?scope=mine')).body)).toEqual([]);
  });

  it('retires a story that sessions play: they keep playing, no new session starts, the listing forgets it', async () => {
    const me = await t.account();
    const player = await t.guest();
    const id = await upload(me, 'Played on', 'public');
    const started = await player.call('POST', '/api/sessions', { story_id: id });
    expect(started.status).toBe(201);
    const res = await me.call('DELETE', `/api/stories/${id}`);
    expect(res.body).toEqual({ removed: false, sessions: 1 });
    expect((await player.call('GET', '/api/stories')).body.stories.map((s: { id: string }) => s.id)).not.toContain(id);
    expectError(await player.call('POST', '/api/sessions', { story_id: id }), 404, 'story_not_found');
    expect((await player.call('GET', `/api/sessions/${started.body.session_id}`)).status).toBe(200);
    await t.play(player, started.body.session_id, 'Go in');
    expectError(await me.call('DELETE', `/api/stories/${id}`), 404, 'story_not_found');
  });

  it("is 403 for someone else's public story, 404 for their private one or an unknown id, 403 for a shipped one", async () => {
    const owner = await t.account();
    const other = await t.account();
    expectError(await other.call('DELETE', `/api/stories/${await upload(owner, 'Theirs', 'public')}`), 403, 'forbidden');
    expectError(await other.call('DELETE', `/api/stories/${await upload(owner, 'Hidden away')}`), 404, 'story_not_found');
    expectError(await other.call('DELETE', '/api/stories/no-such-story'), 404, 'story_not_found');
    expectError(await (await t.account({ admin: true })).call('DELETE', `/api/stories/${await t.storyId()}`), 403, 'forbidden');
    expectError(await t.request('DELETE', `/api/stories/${await t.storyId()}`), 401, 'unauthorized');
  });

  it("an admin deletes anyone's story", async () => {
    const id = await upload(await t.account(), 'Reported');
    expect((await (await t.account({ admin: true })).call('DELETE', `/api/stories/${id}`)).body).toEqual({ removed: true, sessions: 0 });
  });
});
