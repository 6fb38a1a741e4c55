import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ PROVIDER_KEY_SECRET: Buffer.alloc(32, 7).toString('base64') });
});
afterAll(() => t?.close());

const KEY = 'sk-proj-route-test-SECRET-9f8e7d6c';

describe('/api/me/provider-keys', () => {
  it('stores a key and lists only its masked hint; replacing and removing work; other users see none', async () => {
    const me = await t.account();
    const put = await me.call('PUT', '/api/me/provider-keys/openai', { api_key: KEY });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ provider: 'openai', hint: 'sk-…7d6c', base_url: null, created_at: expect.any(String) });
    expect(put.text).not.toContain('SECRET');
    const listed = await me.call('GET', '/api/me/provider-keys');
    expect(listed.body.keys).toEqual([put.body]);
    expect(listed.text).not.toContain('route-test');
    expect((await me.call('PUT', '/api/me/provider-keys/openai', { api_key: 'sk-other-key-00000000wxyz' })).body.hint).toBe('sk-…wxyz');
    expect((await (await t.account()).call('GET', '/api/me/provider-keys')).body.keys).toEqual([]);
    expect((await me.call('DELETE', '/api/me/provider-keys/openai')).status).toBe(204);
    expect((await me.call('GET', '/api/me/provider-keys')).body.keys).toEqual([]);
    expectError(await me.call('DELETE', '/api/me/provider-keys/openai'), 404, 'not_found');
  });

  it('an openai-compatible key needs base_url, and keeps it', async () => {
    const me = await t.account();
    expectError(await me.call('PUT', '/api/me/provider-keys/openai-compatible', { api_key: KEY }), 400, 'bad_request');
    const put = await me.call('PUT', '/api/me/provider-keys/openai-compatible', { api_key: KEY, base_url: 'https://llm.example.test/v1' });
    expect(put.body).toMatchObject({ provider: 'openai-compatible', base_url: 'https://llm.example.test/v1' });
  });

  it('is 400 for a malformed key, provider or base_url, and never echoes the key', async () => {
    const me = await t.account();
    for (const [provider, body] of [
      ['openai', { api_key: 'short' }],
      ['openai', { api_key: 'sk-has a space-SECRET-0000' }],
      ['openai', {}],
      ['openai', { api_key: KEY, extra: 1 }],
      ['gemini', { api_key: KEY }],
      ['openai-compatible', { api_key: KEY, base_url: 'file:///etc/passwd' }],
      ['openai-compatible', { api_key: KEY, base_url: 'http://127.0.0.1:11434/v1' }],
    ] as const) {
      const res = await me.call('PUT', `/api/me/provider-keys/${provider}`, body);
      expectError(res, 400, 'bad_request');
      expect(res.text).not.toContain('SECRET');
    }
    expectError(await t.request('PUT', '/api/me/provider-keys/openai', { body: { api_key: KEY } }), 401, 'unauthorized');
  });
});
