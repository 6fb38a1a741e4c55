import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const CARD = { name: 'Mara', keywords: ['Mara', '/keeper/i'], text: "The keeper's daughter." };

async function myStory(me: User, visibility: 'private' | 'public' = 'private'): Promise<string> {
  const res = await me.call('POST', '/api/stories', { title: 'Cards', source: 'A lighthouse.\n* [Climb] -> END\n', visibility });
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('happy path', () => {
  it("GET /api/stories/:id/cards: a shipped story's ink cards, read-only, to anyone", async () => {
    const res = await (await t.guest()).call('GET', `/api/stories/${await t.storyId('long-watch')}/cards`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cards: [], ink_cards: [{ name: 'Mara', keywords: ['Mara', '/light ?keeper/i'], text: "Mara is the keeper's daughter. She hid the logbook in the oil store.", when: null }] });
  });

  it("a story's owner adds, lists, edits and deletes its cards", async () => {
    const me = await t.guest();
    const storyId = await myStory(me);
    const base = `/api/stories/${storyId}/cards`;
    const added = await me.call('POST', base, CARD);
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      id: expect.any(String),
      card: { id: added.body.id, story_id: storyId, session_id: null, ...CARD, when: null, created_at: expect.any(String), updated_at: expect.any(String) },
    });
    expect((await me.call('GET', base)).body).toEqual({ cards: [added.body.card], ink_cards: [] });
    const edited = await me.call('PATCH', `${base}/${added.body.id}`, { text: 'She keeps the light.' });
    expect(edited.status).toBe(200);
    expect(edited.body.card).toMatchObject({ id: added.body.id, name: 'Mara', keywords: CARD.keywords, text: 'She keeps the light.' });
    const removed = await me.call('DELETE', `${base}/${added.body.id}`);
    expect(removed.status).toBe(204);
    expect((await me.call('GET', base)).body.cards).toEqual([]);
  });

  it('a player adds, lists, edits and deletes the cards of their session (keywords default to none)', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const base = `/api/sessions/${sessionId}/cards`;
    const added = await me.call('POST', base, { name: 'Guard', text: 'Sleeps on duty.' });
    expect(added.status).toBe(201);
    expect(added.body.card).toMatchObject({ story_id: null, session_id: sessionId, name: 'Guard', keywords: [], text: 'Sleeps on duty.' });
    expect((await me.call('GET', base)).body).toEqual({ cards: [added.body.card], ink_cards: [] });
    expect((await me.call('PATCH', `${base}/${added.body.id}`, { keywords: ['guard'] })).body.card.keywords).toEqual(['guard']);
    expect((await me.call('DELETE', `${base}/${added.body.id}`)).status).toBe(204);
  });

  it("anyone who can see a public story lists its cards", async () => {
    const owner = await t.guest();
    const storyId = await myStory(owner, 'public');
    await owner.call('POST', `/api/stories/${storyId}/cards`, CARD);
    const res = await (await t.guest()).call('GET', `/api/stories/${storyId}/cards`);
    expect(res.status).toBe(200);
    expect(res.body.cards).toEqual([expect.objectContaining({ name: 'Mara' })]);
  });
});

describe('errors', () => {
  it('every card route is 401 without a valid token', async () => {
    for (const base of ['/api/stories/s/cards', '/api/sessions/s/cards']) {
      expectError(await t.request('GET', base), 401, 'unauthorized');
      expectError(await t.request('POST', base, { body: CARD }), 401, 'unauthorized');
      expectError(await t.request('PATCH', `${base}/c`, { body: { text: 'x' } }), 401, 'unauthorized');
      expectError(await t.request('DELETE', `${base}/c`, { token: 'bad' }), 401, 'unauthorized');
    }
  });

  it("writing a story's cards is 403 forbidden for anyone but its owner (a shipped story has none)", async () => {
    const owner = await t.guest();
    const storyId = await myStory(owner, 'public');
    const { body } = await owner.call('POST', `/api/stories/${storyId}/cards`, CARD);
    const other = await t.guest();
    expectError(await other.call('POST', `/api/stories/${storyId}/cards`, CARD), 403, 'forbidden');
    expectError(await other.call('PATCH', `/api/stories/${storyId}/cards/${body.id}`, { text: 'mine' }), 403, 'forbidden');
    expectError(await other.call('DELETE', `/api/stories/${storyId}/cards/${body.id}`), 403, 'forbidden');
    expectError(await other.call('POST', `/api/stories/${await t.storyId()}/cards`, CARD), 403, 'forbidden');
  });

  it('the story card routes are 404 story_not_found for an unknown story and for someone else’s private one', async () => {
    const owner = await t.guest();
    const storyId = await myStory(owner);
    const { body } = await owner.call('POST', `/api/stories/${storyId}/cards`, CARD);
    const other = await t.guest();
    for (const id of [storyId, '00000000-0000-0000-0000-000000000000']) {
      expectError(await other.call('GET', `/api/stories/${id}/cards`), 404, 'story_not_found');
      expectError(await other.call('POST', `/api/stories/${id}/cards`, CARD), 404, 'story_not_found');
      expectError(await other.call('PATCH', `/api/stories/${id}/cards/${body.id}`, { text: 'x' }), 404, 'story_not_found');
      expectError(await other.call('DELETE', `/api/stories/${id}/cards/${body.id}`), 404, 'story_not_found');
    }
  });

  it('the session card routes are 404 session_not_found for an unknown session and for someone else’s', async () => {
    const owner = await t.guest();
    const sessionId = await t.newSession(owner);
    const { body } = await owner.call('POST', `/api/sessions/${sessionId}/cards`, CARD);
    const other = await t.guest();
    for (const id of [sessionId, 'no-such-session']) {
      expectError(await other.call('GET', `/api/sessions/${id}/cards`), 404, 'session_not_found');
      expectError(await other.call('POST', `/api/sessions/${id}/cards`, CARD), 404, 'session_not_found');
      expectError(await other.call('PATCH', `/api/sessions/${id}/cards/${body.id}`, { text: 'x' }), 404, 'session_not_found');
      expectError(await other.call('DELETE', `/api/sessions/${id}/cards/${body.id}`), 404, 'session_not_found');
    }
  });

  it('PATCH and DELETE are 404 not_found for an unknown card, and for a card of another scope', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const storyId = await myStory(me);
    const { body: storyCard } = await me.call('POST', `/api/stories/${storyId}/cards`, CARD);
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', storyCard.id]) {
      expectError(await me.call('PATCH', `/api/sessions/${sessionId}/cards/${id}`, { text: 'x' }), 404, 'not_found');
      expectError(await me.call('DELETE', `/api/sessions/${sessionId}/cards/${id}`), 404, 'not_found');
    }
  });

  it('POST and PATCH are 400 for a malformed body, an empty field or too many keywords', async () => {
    const me = await t.guest();
    const base = `/api/sessions/${await t.newSession(me)}/cards`;
    for (const body of [{ text: 'x' }, { name: 'x' }, { name: 'x', text: 'y', keywords: 'Mara' }, { name: ' ', text: 'y' }, { name: 'x', text: 'y', keywords: [''] }, { name: 'x', text: 'y', keywords: Array.from({ length: 33 }, (_, i) => `k${i}`) }, '[']) {
      expectError(await me.call('POST', base, body), 400, 'bad_request');
    }
    const { body: card } = await me.call('POST', base, CARD);
    expectError(await me.call('PATCH', `${base}/${card.id}`, { name: '' }), 400, 'bad_request');
    expectError(await me.call('PATCH', `${base}/${card.id}`, { keywords: [1] }), 400, 'bad_request');
  });

  it('POST and PATCH are 413 for a field over its limit (named) and for a body over MAX_BODY_BYTES', async () => {
    const me = await t.guest();
    const base = `/api/sessions/${await t.newSession(me)}/cards`;
    const long = await me.call('POST', base, { name: 'x', text: 'y'.repeat(2001) });
    expectError(long, 413, 'payload_too_large');
    expect(long.body.error.details).toEqual([expect.objectContaining({ path: 'text' })]);
    expectError(await me.call('POST', base, { name: 'n'.repeat(401), text: 'y' }), 413, 'payload_too_large');
    const { body: card } = await me.call('POST', base, CARD);
    expectError(await me.call('PATCH', `${base}/${card.id}`, { keywords: ['k'.repeat(201)] }), 413, 'payload_too_large');
    expectError(await me.call('POST', base, { ...CARD, text: 'y'.repeat(t.env.MAX_BODY_BYTES) }), 413, 'payload_too_large');
  });

  it('the id params are 400 over 100 characters', async () => {
    const me = await t.guest();
    expectError(await me.call('GET', `/api/stories/${'s'.repeat(101)}/cards`), 400, 'bad_request');
    expectError(await me.call('DELETE', `/api/sessions/${await t.newSession(me)}/cards/${'c'.repeat(101)}`), 400, 'bad_request');
  });
});
