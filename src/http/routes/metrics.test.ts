import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type Call, type TestApp } from './__fixtures__/test-app.js';

const METRICS_TOKEN = 'route-tests-metrics-token-0123';

let t: TestApp;
/** The app with METRICS_TOKEN set. */
let guarded: Call;
beforeAll(async () => {
  t = await createTestApp();
  guarded = t.withDeps({ metrics: { ...t.deps.metrics!, token: METRICS_TOKEN } });
});
afterAll(() => t?.close());

describe('happy path', () => {
  it('GET /metrics: the Prometheus text format, never cached, errors counted by code', async () => {
    expectError(await t.request('GET', '/api/sessions'), 401, 'unauthorized');
    const res = await t.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).toMatch(/^# HELP /m);
    expect(res.text).toMatch(/^mock_drama_errors_total\{[^}]*code="unauthorized"[^}]*\} [1-9]/m);
  });

  it('GET /metrics with METRICS_TOKEN set: served to `Bearer <METRICS_TOKEN>`', async () => {
    const res = await guarded('GET', '/metrics', { token: METRICS_TOKEN });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^# TYPE /m);
  });
});

describe('errors', () => {
  it('GET /metrics with METRICS_TOKEN set is 401 without it, or with another token', async () => {
    expectError(await guarded('GET', '/metrics'), 401, 'unauthorized');
    expectError(await guarded('GET', '/metrics', { token: `${METRICS_TOKEN}x` }), 401, 'unauthorized');
    expectError(await guarded('GET', '/metrics', { headers: { authorization: METRICS_TOKEN } }), 401, 'unauthorized');
  });

  it('without metrics (deps.metrics absent) /metrics is not served', async () => {
    expectError(await t.withDeps({ metrics: undefined })('GET', '/metrics'), 404, 'not_found');
  });
});
