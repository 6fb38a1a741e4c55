import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ ALLOWED_MODELS: 'offline:offline-narrator, offline:offline-terse' });
});
afterAll(() => t?.close());

describe('/api/me/settings', () => {
  it('starts at the defaults and offers the operator’s models', async () => {
    const res = await (await t.account()).call('GET', '/api/me/settings');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      narrator_model: null,
      temperature: null,
      passage_length: null,
      language: null,
      allowed_models: ['offline:offline-narrator', 'offline:offline-terse'],
      passage_lengths: { short: { max_tokens: 220 }, medium: { max_tokens: 400 }, long: { max_tokens: 900 } },
      provider_keys: false,
    });
  });

  it('PUT changes what it names, keeps the rest, and null goes back to the default', async () => {
    const me = await t.account();
    const put = await me.call('PUT', '/api/me/settings', { narrator_model: 'offline:offline-terse', temperature: 0.3, passage_length: 'short', language: 'zh' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ narrator_model: 'offline:offline-terse', temperature: 0.3, passage_length: 'short', language: 'zh' });
    await me.call('PUT', '/api/me/settings', { temperature: null });
    expect((await me.call('GET', '/api/me/settings')).body).toMatchObject({ narrator_model: 'offline:offline-terse', temperature: null, passage_length: 'short', language: 'zh' });
    // Another user's settings are their own.
    expect((await (await t.account()).call('GET', '/api/me/settings')).body.language).toBeNull();
  });

  it('a model not on the list is 400 model_not_allowed, naming the list', async () => {
    const me = await t.account();
    const res = await me.call('PUT', '/api/me/settings', { narrator_model: 'openai:gpt-4o' });
    expectError(res, 400, 'model_not_allowed');
    expect(res.body.error.details.allowed).toEqual(['offline:offline-narrator', 'offline:offline-terse']);
    expect((await me.call('GET', '/api/me/settings')).body.narrator_model).toBeNull();
  });

  it('is 400 for malformed settings and 401 without a token', async () => {
    const me = await t.account();
    for (const body of [{ temperature: 3 }, { temperature: 'hot' }, { passage_length: 'epic' }, { language: 'fr' }, { colour: 'red' }, '{not json']) {
      expectError(await me.call('PUT', '/api/me/settings', body), 400, 'bad_request');
    }
    expectError(await t.request('GET', '/api/me/settings'), 401, 'unauthorized');
  });
});

describe('/api/me/provider-keys without PROVIDER_KEY_SECRET', () => {
  it('answers 501 provider_keys_disabled, naming the variable', async () => {
    const me = await t.account();
    for (const [method, body] of [['GET'], ['PUT', { api_key: 'sk-test-0123456789abcd' }], ['DELETE']] as const) {
      const res = await me.call(method, `/api/me/provider-keys${method === 'GET' ? '' : '/openai'}`, body);
      expectError(res, 501, 'provider_keys_disabled');
      expect(res.body.error.message).toContain('PROVIDER_KEY_SECRET');
    }
  });
});
