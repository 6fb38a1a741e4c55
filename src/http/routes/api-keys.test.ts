import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ MAX_API_KEYS_PER_USER: '2' });
});
afterAll(() => t?.close());

async function newKey(me: User, name = 'build server'): Promise<{ id: string; key: string }> {
  const res = await me.call('POST', '/api/keys', { name });
  expect(res.status).toBe(201);
  return res.body;
}

describe('happy path', () => {
  it('POST /api/keys: the key, once, not cached; it authenticates as its owner by header or as a bearer token', async () => {
    const me = await t.account();
    const res = await me.call('POST', '/api/keys', { name: '  build server  ' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ id: expect.any(String), name: 'build server', prefix: expect.any(String), key: expect.stringMatching(/^md_/), created_at: expect.any(String) });
    expect(res.body.key.startsWith(res.body.prefix)).toBe(true);
    const sessionId = await t.newSession(me);
    expect((await t.request('GET', `/api/sessions/${sessionId}`, { headers: { 'x-api-key': res.body.key } })).status).toBe(200);
    expect((await t.request('GET', `/api/sessions/${sessionId}`, { token: res.body.key })).status).toBe(200);
  });

  it('GET /api/keys: your keys, newest first, without the key itself', async () => {
    const me = await t.guest();
    const first = await newKey(me, 'first');
    const second = await newKey(me, 'second');
    const res = await me.call('GET', '/api/keys');
    expect(res.status).toBe(200);
    expect(res.body.keys.map((k: { id: string }) => k.id)).toEqual([second.id, first.id]);
    expect(res.body.keys[0]).toEqual({ id: second.id, name: 'second', prefix: expect.any(String), created_at: expect.any(String), last_used_at: null, revoked_at: null });
    expect((await (await t.guest()).call('GET', '/api/keys')).body).toEqual({ keys: [] });
  });

  it('DELETE /api/keys/:id revokes the key: it stops working at once and is listed as revoked', async () => {
    const me = await t.guest();
    const { id, key } = await newKey(me);
    const res = await me.call('DELETE', `/api/keys/${id}`);
    expect(res.status).toBe(204);
    expectError(await t.request('GET', '/api/sessions', { headers: { 'x-api-key': key } }), 401, 'api_key_revoked');
    expect((await me.call('GET', '/api/keys')).body.keys[0]).toMatchObject({ id, revoked_at: expect.any(String) });
  });
});

describe('errors', () => {
  it('the key routes are 401 without a valid credential; an unknown API key is api_key_invalid', async () => {
    expectError(await t.request('POST', '/api/keys', { body: { name: 'x' } }), 401, 'unauthorized');
    expectError(await t.request('GET', '/api/keys', { token: 'bad' }), 401, 'unauthorized');
    expectError(await t.request('DELETE', '/api/keys/k'), 401, 'unauthorized');
    expectError(await t.request('GET', '/api/keys', { headers: { 'x-api-key': `md_${'A'.repeat(43)}` } }), 401, 'api_key_invalid');
  });

  it('POST /api/keys is 400 for a malformed body or a blank name', async () => {
    const me = await t.guest();
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 3 }, 'name=x']) {
      expectError(await me.call('POST', '/api/keys', body), 400, 'bad_request');
    }
  });

  it('POST /api/keys is 403 forbidden with an API key, and over MAX_API_KEYS_PER_USER (quota in details)', async () => {
    const me = await t.guest();
    const { key } = await newKey(me);
    expectError(await t.request('POST', '/api/keys', { headers: { 'x-api-key': key }, body: { name: 'minted' } }), 403, 'forbidden');
    await newKey(me);
    const full = await me.call('POST', '/api/keys', { name: 'third' });
    expectError(full, 403, 'forbidden');
    expect(full.body.error.details).toEqual({ quota: 'api_keys', limit: 2, used: 2 });
  });

  it('POST /api/keys is 413 for a body over MAX_BODY_BYTES', async () => {
    expectError(await (await t.guest()).call('POST', '/api/keys', { name: 'x'.repeat(t.env.MAX_BODY_BYTES) }), 413, 'payload_too_large');
  });

  it('DELETE /api/keys/:id is 404 not_found for an unknown key and for someone else’s, which keeps working', async () => {
    const owner = await t.guest();
    const { id, key } = await newKey(owner);
    const other = await t.guest();
    expectError(await other.call('DELETE', `/api/keys/${id}`), 404, 'not_found');
    expectError(await other.call('DELETE', '/api/keys/00000000-0000-0000-0000-000000000000'), 404, 'not_found');
    expectError(await other.call('DELETE', '/api/keys/not-a-uuid'), 404, 'not_found');
    expect((await t.request('GET', '/api/keys', { headers: { 'x-api-key': key } })).status).toBe(200);
  });

  it('DELETE /api/keys/:id is 400 for an id over 100 characters', async () => {
    expectError(await (await t.guest()).call('DELETE', `/api/keys/${'k'.repeat(101)}`), 400, 'bad_request');
  });
});
