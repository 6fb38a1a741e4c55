import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('happy path', () => {
  it('GET /openapi.json: the OpenAPI 3.1 document of every REST route, with both auth schemes and the event schema', async () => {
    const res = await t.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ openapi: '3.1.0', info: { title: 'mock-drama API' }, security: [{ bearerAuth: [] }, { apiKeyAuth: [] }] });
    expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(['apiKeyAuth', 'bearerAuth']);
    expect(res.body.components.schemas).toHaveProperty('SessionEvent');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/guest',
        '/api/auth/claim',
        '/api/stories',
        '/api/stories/{id}',
        '/api/stories/{id}/cards/{cardId}',
        '/api/sessions',
        '/api/sessions/{id}/turns/{n}/trace',
        '/api/sessions/{id}/memories/{memoryId}/pin',
        '/api/sessions/{id}/fork',
        '/api/sessions/{id}/cancel',
        '/api/story/action',
        '/api/story/status/{task_id}',
        '/api/keys/{id}',
        '/api/admin/users/{user_id}/suspension',
        '/api/me/usage',
      ]),
    );
  });

  it('GET /docs: the API reference page, loading its script from this server', async () => {
    const res = await t.request('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain('/docs/scalar.js');
    expect(res.text).toContain('/openapi.json');
  });

  it('GET /docs/scalar.js: the bundled reference script, cached for a day', async () => {
    const res = await t.request('GET', '/docs/scalar.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(res.text.length).toBeGreaterThan(100_000);
  });
});

describe('errors', () => {
  it('other methods and paths under /docs are the JSON 404', async () => {
    expectError(await t.request('POST', '/openapi.json'), 404, 'not_found');
    expectError(await t.request('GET', '/docs/other.js'), 404, 'not_found');
  });
});
