import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, expectError, type Call, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
/** A request as the operator (ADMIN_TOKEN). */
let admin: Call;
beforeAll(async () => {
  t = await createTestApp();
  admin = (method, path, options = {}) => t.request(method, path, { token: ADMIN_TOKEN, ...options });
});
afterAll(() => t?.close());

async function privateStory(owner: User, title = 'Private'): Promise<string> {
  const res = await owner.call('POST', '/api/stories', { title, source: 'Hello.\n* [Bye] -> END\n' });
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('happy path', () => {
  it('GET /api/admin/stories: every story, private ones included, by owner and hidden flag', async () => {
    const owner = await t.guest();
    const storyId = await privateStory(owner);
    const all = await admin('GET', '/api/admin/stories');
    expect(all.status).toBe(200);
    expect(all.body.stories.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([storyId, await t.storyId()]));
    const mine = await admin('GET', `/api/admin/stories?owner_id=${owner.userId}`);
    expect(mine.body.stories).toEqual([{ id: storyId, slug: expect.any(String), title: 'Private', owner_id: owner.userId, version: expect.any(String), visibility: 'private', hidden: false, created_at: expect.any(String) }]);
    expect((await admin('GET', `/api/admin/stories?owner_id=${owner.userId}&hidden=true`)).body.stories).toEqual([]);
  });

  it('PUT and DELETE /api/admin/stories/:id/hidden hide a story and show it again (the reason is optional)', async () => {
    const owner = await t.guest();
    const storyId = await privateStory(owner);
    const hidden = await admin('PUT', `/api/admin/stories/${storyId}/hidden`, { body: { reason: 'spam' } });
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ id: storyId, hidden: true });
    expect((await admin('GET', `/api/admin/stories?owner_id=${owner.userId}&hidden=true`)).body.stories).toHaveLength(1);
    expect((await admin('PUT', `/api/admin/stories/${storyId}/hidden`)).status).toBe(200);
    const shown = await admin('DELETE', `/api/admin/stories/${storyId}/hidden`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: storyId, hidden: false });
  });

  it('PUT /api/admin/users/:user_id/suspension suspends: every credential of the user gets 403; DELETE lifts it', async () => {
    const user = await t.guest();
    const res = await admin('PUT', `/api/admin/users/${user.userId}/suspension`, { body: { reason: '  spam  ' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user_id: user.userId, reason: 'spam', suspended_by: 'admin-token', created_at: expect.any(String) });
    expectError(await user.call('GET', '/api/sessions'), 403, 'account_suspended');
    const list = await admin('GET', '/api/admin/suspensions');
    expect(list.status).toBe(200);
    expect(list.body.suspensions[0]).toEqual(res.body);
    expect((await admin('DELETE', `/api/admin/users/${user.userId}/suspension`)).status).toBe(204);
    expect((await user.call('GET', '/api/sessions')).status).toBe(200);
  });

  it("an admin account's token moderates too, and is recorded as the moderator", async () => {
    const moderator = await t.account({ admin: true });
    const user = await t.guest();
    const res = await moderator.call('PUT', `/api/admin/users/${user.userId}/suspension`, { reason: 'abuse' });
    expect(res.status).toBe(200);
    expect(res.body.suspended_by).toBe(moderator.userId);
    expect((await moderator.call('GET', '/api/admin/stories')).status).toBe(200);
  });
});

describe('errors', () => {
  it('every moderation route is 401 without a credential, or with one that does not verify', async () => {
    for (const [method, path] of [['GET', '/api/admin/stories'], ['PUT', '/api/admin/stories/s/hidden'], ['DELETE', '/api/admin/stories/s/hidden'], ['GET', '/api/admin/suspensions'], ['PUT', '/api/admin/users/u/suspension'], ['DELETE', '/api/admin/users/u/suspension']] as const) {
      expectError(await t.request(method, path), 401, 'unauthorized');
      expectError(await t.request(method, path, { token: `${ADMIN_TOKEN}x` }), 401, 'unauthorized');
    }
  });

  it('is 403 forbidden for a user who is not an admin, and for an admin’s API key', async () => {
    const guest = await t.guest();
    expectError(await guest.call('GET', '/api/admin/stories'), 403, 'forbidden');
    expectError(await (await t.account()).call('PUT', `/api/admin/users/${guest.userId}/suspension`, { reason: 'x' }), 403, 'forbidden');
    const moderator = await t.account({ admin: true });
    const { body } = await moderator.call('POST', '/api/keys', { name: 'bot' });
    expectError(await t.request('GET', '/api/admin/suspensions', { headers: { 'x-api-key': body.key } }), 403, 'forbidden');
  });

  it('is 400 for a malformed body or query', async () => {
    expectError(await admin('GET', '/api/admin/stories?hidden=maybe'), 400, 'bad_request');
    expectError(await admin('GET', `/api/admin/stories?owner_id=${'o'.repeat(201)}`), 400, 'bad_request');
    expectError(await admin('PUT', '/api/admin/users/u1/suspension', { body: {} }), 400, 'bad_request');
    expectError(await admin('PUT', '/api/admin/users/u1/suspension', { body: { reason: '   ' } }), 400, 'bad_request');
    expectError(await admin('PUT', '/api/admin/users/u1/suspension', { body: { reason: 'r'.repeat(501) } }), 400, 'bad_request');
    expectError(await admin('PUT', `/api/admin/users/${'u'.repeat(201)}/suspension`, { body: { reason: 'x' } }), 400, 'bad_request');
    expectError(await admin('PUT', `/api/admin/stories/${await t.storyId()}/hidden`, { body: { reason: 'r'.repeat(501) } }), 400, 'bad_request');
    expectError(await admin('PUT', `/api/admin/stories/${await t.storyId()}/hidden`, { body: '{' }), 400, 'bad_request');
  });

  it('is 404 for an unknown story (story_not_found) and for lifting a suspension that is not there (not_found)', async () => {
    expectError(await admin('PUT', '/api/admin/stories/00000000-0000-0000-0000-000000000000/hidden'), 404, 'story_not_found');
    expectError(await admin('DELETE', '/api/admin/stories/no-such-story/hidden'), 404, 'story_not_found');
    expectError(await admin('DELETE', `/api/admin/users/${(await t.guest()).userId}/suspension`), 404, 'not_found');
  });

  it('is 413 for a body over MAX_BODY_BYTES', async () => {
    expectError(await admin('PUT', '/api/admin/users/u1/suspension', { body: { reason: 'x'.repeat(t.env.MAX_BODY_BYTES) } }), 413, 'payload_too_large');
  });
});
