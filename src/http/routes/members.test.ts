import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ MAX_MEMBERS_PER_SESSION: '3' });
});
afterAll(() => t?.close());

async function sharedSession(): Promise<{ owner: User; sessionId: string; invite: (role: 'player' | 'spectator', extra?: object) => Promise<string> }> {
  const owner = await t.guest();
  const sessionId = await t.newSession(owner);
  const invite = async (role: 'player' | 'spectator', extra: object = {}) => {
    const res = await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role, ...extra });
    expect(res.status).toBe(201);
    return res.body.code as string;
  };
  return { owner, sessionId, invite };
}

describe('members and invites', () => {
  it('an invite lets a player join, read and act; the member list shows everyone; joining twice changes nothing', async () => {
    const { owner, sessionId, invite } = await sharedSession();
    const res = await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'player', max_uses: 2 });
    expect(res.body).toEqual({ code: expect.stringMatching(/^inv_/), url: expect.stringMatching(/\/join\/inv_/), role: 'player', expires_at: expect.any(String) });
    const player = await t.guest();
    expect((await player.call('POST', `/api/invites/${res.body.code}/join`)).body).toEqual({ session_id: sessionId, role: 'player' });
    expect((await player.call('POST', `/api/invites/${res.body.code}/join`)).body).toEqual({ session_id: sessionId, role: 'player' });
    expect((await owner.call('POST', `/api/invites/${await invite('spectator')}/join`)).body).toEqual({ session_id: sessionId, role: 'owner' });

    expect((await player.call('GET', `/api/sessions/${sessionId}`)).body.session_id).toBe(sessionId);
    // A joined session is in the member's own list, marked as theirs to play, not to own.
    expect((await player.call('GET', '/api/sessions')).body.sessions).toEqual([expect.objectContaining({ session_id: sessionId, role: 'player' })]);
    expect((await owner.call('GET', '/api/sessions')).body.sessions).toEqual([expect.objectContaining({ session_id: sessionId, role: 'owner' })]);
    await t.play(player, sessionId, 'I light the old brass lamp');
    expect((await player.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns).toHaveLength(2);
    expect((await player.call('PATCH', `/api/sessions/${sessionId}/members/me`, { display_name: '  灯塔  看守 ' })).body).toEqual({ user_id: player.userId, display_name: '灯塔 看守' });
    const list = await player.call('GET', `/api/sessions/${sessionId}/members`);
    expect(list.body.members).toEqual([
      { user_id: owner.userId, display_name: null, role: 'owner', online: false },
      { user_id: player.userId, display_name: '灯塔 看守', role: 'player', online: false },
    ]);
    // Time controls and the session's own tools stay the owner's.
    expectError(await player.call('POST', `/api/sessions/${sessionId}/undo`), 404, 'session_not_found');
    expectError(await player.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'player' }), 404, 'session_not_found');
  });

  it('a spectator reads but may not act (403 spectator, nothing queued)', async () => {
    const { sessionId, invite } = await sharedSession();
    const watcher = await t.guest();
    await watcher.call('POST', `/api/invites/${await invite('spectator')}/join`);
    expect((await watcher.call('GET', `/api/sessions/${sessionId}/turns`)).status).toBe(200);
    expectError(await watcher.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I take the lamp' }), 403, 'spectator');
    expect((await watcher.call('GET', `/api/sessions/${sessionId}`)).body.turn_no).toBe(0);
  });

  it('bad codes: unknown 404, expired and used up 410, a full session 409 — and nobody joins', async () => {
    const { owner, sessionId, invite } = await sharedSession();
    const someone = await t.guest();
    expectError(await someone.call('POST', '/api/invites/inv_nope/join'), 404, 'not_found');
    const once = await invite('player', { max_uses: 1 });
    expect((await (await t.guest()).call('POST', `/api/invites/${once}/join`)).status).toBe(200);
    expectError(await someone.call('POST', `/api/invites/${once}/join`), 410, 'invite_used_up');
    // An invite that expired a second ago (the route's shortest is a minute; a test does not wait).
    await t.deps.service.deps.store.members.createInvite({ codeHash: createHash('sha256').update('inv_old').digest('hex'), sessionId, role: 'player', maxUses: null, expiresAt: new Date(Date.now() - 1000) });
    expectError(await someone.call('POST', '/api/invites/inv_old/join'), 410, 'invite_expired');
    // MAX_MEMBERS_PER_SESSION=3 counts the owner: one more fits, then the session is full.
    const open = await invite('spectator');
    expect((await (await t.guest()).call('POST', `/api/invites/${open}/join`)).status).toBe(200);
    expectError(await someone.call('POST', `/api/invites/${open}/join`), 409, 'session_full');
    expect((await owner.call('GET', `/api/sessions/${sessionId}/members`)).body.members).toHaveLength(3);
    expectError(await someone.call('GET', `/api/sessions/${sessionId}`), 404, 'session_not_found');
  });

  it('the owner removes a member, a member leaves, nobody else removes anyone; access ends at once', async () => {
    const { owner, sessionId, invite } = await sharedSession();
    const code = await invite('player');
    const [a, b] = [await t.guest(), await t.guest()];
    for (const u of [a, b]) await u.call('POST', `/api/invites/${code}/join`);
    expectError(await a.call('DELETE', `/api/sessions/${sessionId}/members/${b.userId}`), 403, 'forbidden');
    expect((await owner.call('DELETE', `/api/sessions/${sessionId}/members/${b.userId}`)).status).toBe(204);
    expectError(await b.call('GET', `/api/sessions/${sessionId}`), 404, 'session_not_found');
    expect((await a.call('DELETE', `/api/sessions/${sessionId}/members/${a.userId}`)).status).toBe(204);
    expectError(await a.call('GET', `/api/sessions/${sessionId}/turns`), 404, 'session_not_found');
    expectError(await owner.call('DELETE', `/api/sessions/${sessionId}/members/${a.userId}`), 404, 'not_found');
  });

  it('bad bodies: 400 for a bad role or name, 413 for a long name, 401 without a token', async () => {
    const { owner, sessionId, invite } = await sharedSession();
    expectError(await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'admin' }), 400, 'bad_request');
    expectError(await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'player', expires_in_s: 5 }), 400, 'bad_request');
    const member = await t.guest();
    await member.call('POST', `/api/invites/${await invite('player')}/join`);
    expectError(await member.call('PATCH', `/api/sessions/${sessionId}/members/me`, { display_name: ' \n ' }), 400, 'bad_request');
    expectError(await member.call('PATCH', `/api/sessions/${sessionId}/members/me`, { display_name: 'x'.repeat(41) }), 413, 'payload_too_large');
    expectError(await t.request('POST', '/api/invites/inv_x/join'), 401, 'unauthorized');
  });
});
