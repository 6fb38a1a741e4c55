import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../runtime/create-auth.js';
import { silentLogger } from '../../shared/logger.js';
import { ADMIN_TOKEN, createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('happy path', () => {
  it('GET /api/auth/config: guests on, no Supabase project, without a token', async () => {
    const res = await t.request('GET', '/api/auth/config');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ guests: true, supabase: null });
  });

  it('POST /api/auth/guest: a token for a new user, which the API accepts', async () => {
    const res = await t.request('POST', '/api/auth/guest');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token: expect.any(String), user_id: expect.any(String), expires_at: expect.any(String) });
    expect(Date.parse(res.body.expires_at)).toBeGreaterThan(Date.now());
    expect((await t.request('GET', '/api/sessions', { token: res.body.token })).status).toBe(200);
    const other = await t.request('POST', '/api/auth/guest');
    expect(other.body.user_id).not.toBe(res.body.user_id);
  });

  it("POST /api/auth/claim: an account takes over a guest's session, once", async () => {
    const guest = await t.guest();
    const sessionId = await t.newSession(guest);
    const me = await t.account();
    const claimed = await me.call('POST', '/api/auth/claim', { guest_token: guest.token });
    expect(claimed.status).toBe(200);
    expect(claimed.headers.get('cache-control')).toBe('no-store');
    expect(claimed.body).toEqual({ guest_user_id: guest.userId, moved: true, sessions: 1, stories: 0, api_keys: 0, claimed_at: expect.any(String) });
    expect((await me.call('GET', `/api/sessions/${sessionId}`)).status).toBe(200);
    expectError(await guest.call('GET', `/api/sessions/${sessionId}`), 404, 'session_not_found');

    const again = await me.call('POST', '/api/auth/claim', { guest_token: guest.token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ moved: false, sessions: 1, claimed_at: claimed.body.claimed_at });
  });
});

describe('errors', () => {
  it('POST /api/auth/guest is 403 forbidden when guest accounts are off', async () => {
    const auth = createAuth({ ...t.env, GUEST_AUTH: 'off' }, silentLogger());
    expectError(await t.withDeps({ auth })('POST', '/api/auth/guest'), 403, 'forbidden');
  });

  it('POST /api/auth/claim is 401 without a token, or with a token that does not verify', async () => {
    const guest = await t.guest();
    expectError(await t.request('POST', '/api/auth/claim', { body: { guest_token: guest.token } }), 401, 'unauthorized');
    expectError(await t.request('POST', '/api/auth/claim', { token: 'not-a-jwt', body: { guest_token: guest.token } }), 401, 'unauthorized');
    expectError(await t.request('POST', '/api/auth/claim', { headers: { authorization: 'Basic abc' }, body: { guest_token: guest.token } }), 401, 'unauthorized');
  });

  it('POST /api/auth/claim is 400 bad_request for a malformed body', async () => {
    const me = await t.account();
    expectError(await me.call('POST', '/api/auth/claim', {}), 400, 'bad_request');
    expectError(await me.call('POST', '/api/auth/claim', { guest_token: '' }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/auth/claim', '{"guest_token":'), 400, 'bad_request');
  });

  it('POST /api/auth/claim is 400 guest_token_invalid for a token that is not one of our guests', async () => {
    const me = await t.account();
    expectError(await me.call('POST', '/api/auth/claim', { guest_token: 'garbage' }), 400, 'guest_token_invalid');
    // An account token is not a guest token, not even the caller's own.
    expectError(await me.call('POST', '/api/auth/claim', { guest_token: (await t.account()).token }), 400, 'guest_token_invalid');
  });

  it('POST /api/auth/claim is 403 for a guest caller and for an API key', async () => {
    const guest = await t.guest();
    const caller = await t.guest();
    expectError(await caller.call('POST', '/api/auth/claim', { guest_token: guest.token }), 403, 'forbidden');
    const me = await t.account();
    const key = await me.call('POST', '/api/keys', { name: 'server' });
    expect(key.status).toBe(201);
    const byKey = await t.request('POST', '/api/auth/claim', { headers: { 'x-api-key': key.body.key }, body: { guest_token: guest.token } });
    expectError(byKey, 403, 'forbidden');
  });

  it('POST /api/auth/claim is 403 account_suspended for a suspended guest', async () => {
    const guest = await t.guest();
    expect((await t.request('PUT', `/api/admin/users/${guest.userId}/suspension`, { token: ADMIN_TOKEN, body: { reason: 'spam' } })).status).toBe(200);
    expectError(await (await t.account()).call('POST', '/api/auth/claim', { guest_token: guest.token }), 403, 'account_suspended');
  });

  it('POST /api/auth/claim is 409 guest_claimed when another account claimed the guest', async () => {
    const guest = await t.guest();
    expect((await (await t.account()).call('POST', '/api/auth/claim', { guest_token: guest.token })).status).toBe(200);
    expectError(await (await t.account()).call('POST', '/api/auth/claim', { guest_token: guest.token }), 409, 'guest_claimed');
  });

  it('POST /api/auth/claim is 413 payload_too_large for a body over MAX_BODY_BYTES', async () => {
    const me = await t.account();
    expectError(await me.call('POST', '/api/auth/claim', { guest_token: 'x'.repeat(t.env.MAX_BODY_BYTES) }), 413, 'payload_too_large');
  });
});
