import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('happy path', () => {
  it('GET /healthz: the process is alive', async () => {
    const res = await t.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz: ready once the database and the queue answer', async () => {
    const res = await t.request('GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });
});

describe('errors', () => {
  it('GET /readyz is 503 draining once shutdown began', async () => {
    const res = await t.withDeps({ isDraining: () => true })('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'draining' });
  });

  it('GET /readyz is 503 unavailable, naming the dependency, when one does not answer', async () => {
    const res = await t.withDeps({ checkReady: () => Promise.reject(new Error('database: no answer within 2000 ms')) })('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', reason: 'database: no answer within 2000 ms' });
  });
});
