import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const admin = (path: string) => t.request('GET', path, { token: ADMIN_TOKEN });

describe('audit log', () => {
  it('records a member removed', async () => {
    const owner = await t.account();
    const player = await t.account();
    const sessionId = await t.newSession(owner);
    const invite = await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'player' });
    expect((await player.call('POST', `/api/invites/${invite.body.code}/join`)).status).toBe(200);
    expect((await owner.call('DELETE', `/api/sessions/${sessionId}/members/${player.userId}`)).status).toBe(204);
    const entries = (await admin(`/api/admin/audit?action=member.removed&actor=${encodeURIComponent(owner.userId)}`)).body.entries;
    expect(entries).toEqual([expect.objectContaining({ target: `session:${sessionId}/member:${player.userId}`, request_id: expect.any(String) })]);
  });

  it('records each act with actor, action, target, time and request id; filters; admins only', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const me = await t.account();
    const key = await me.call('POST', '/api/keys', { name: 'ci' });
    expect(key.status).toBe(201);
    expect((await me.call('DELETE', `/api/keys/${key.body.id}`)).status).toBe(204);
    const sessionId = await t.newSession(me);
    await t.play(me, sessionId, 'I light the old brass lamp');
    expect((await me.call('POST', `/api/sessions/${sessionId}/share`)).status).toBe(201);
    expect((await me.call('DELETE', `/api/sessions/${sessionId}/share`)).status).toBe(204);
    const replay = await me.call('POST', `/api/sessions/${sessionId}/replay`, {}, { 'x-request-id': 'req-replay-1' });
    expect(replay.status).toBe(200);
    const storyId = (await me.call('GET', `/api/sessions/${sessionId}`)).body.story_id as string;
    expect((await t.request('PUT', `/api/admin/stories/${storyId}/hidden`, { token: ADMIN_TOKEN, body: {} })).status).toBe(200);
    expect((await t.request('PUT', `/api/admin/users/${me.userId}/suspension`, { token: ADMIN_TOKEN, body: { reason: 'spam' } })).status).toBe(200);
    expect((await t.request('DELETE', `/api/admin/users/${me.userId}/suspension`, { token: ADMIN_TOKEN })).status).toBe(204);
    expect((await me.call('DELETE', `/api/sessions/${sessionId}`)).status).toBe(204);

    const all = await admin(`/api/admin/audit?since=${encodeURIComponent(since)}`);
    expect(all.status).toBe(200);
    const actions = (all.body.entries as { action: string; actor: string }[]).filter((e) => e.actor === me.userId || e.actor === 'admin-token').map((e) => e.action).reverse();
    expect(actions).toEqual(['api_key.created', 'api_key.revoked', 'share.created', 'share.revoked', 'replay.run', 'story.hidden', 'user.suspended', 'user.reinstated', 'session.deleted']);
    const replayed = all.body.entries.find((e: { action: string }) => e.action === 'replay.run');
    expect(replayed).toEqual({ id: expect.any(Number), actor: me.userId, action: 'replay.run', target: `session:${sessionId}`, request_id: 'req-replay-1', created_at: expect.any(String) });

    const mine = await admin(`/api/admin/audit?actor=${encodeURIComponent(me.userId)}&action=share.created`);
    expect(mine.body.entries).toHaveLength(1);
    expect((await admin('/api/admin/audit?actor=admin-token&action=user.suspended')).body.entries[0]).toMatchObject({ target: `user:${me.userId}` });
    expect((await admin(`/api/admin/audit?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.entries).toEqual([]);

    expectError(await admin('/api/admin/audit?action=nope'), 400, 'bad_request');
    expectError(await admin('/api/admin/audit?since=yesterday'), 400, 'bad_request');
    const other = await t.account();
    expectError(await other.call('GET', '/api/admin/audit'), 403, 'forbidden');
    // No route edits or deletes entries.
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) expect((await t.request(method, '/api/admin/audit', { token: ADMIN_TOKEN, body: {} })).status).toBeGreaterThanOrEqual(404);
  });
});
