import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('happy path', () => {
  it('GET /admin/stats: live counts as JSON, never cached', async () => {
    const me = await t.guest();
    await t.play(me, await t.newSession(me));
    const res = await t.request('GET', '/admin/stats', { token: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      at: expect.any(String),
      sessions_active: expect.any(Number),
      active_window_minutes: 15,
      turns_per_minute: expect.any(Number),
      turns_last_window: expect.any(Number),
      turn_rate_window_minutes: 5,
      queue: expect.objectContaining({ depth: expect.any(Number) }),
      spend_today: { since: expect.any(String), total_usd: expect.any(Number), by_model: expect.any(Array) },
      process: { role: 'all', turns_in_progress: expect.any(Number), stream_connections: 0 },
    });
    expect(res.body.sessions_active).toBeGreaterThanOrEqual(1);
    expect(res.body.turns_last_window).toBeGreaterThanOrEqual(1);
  });

  it('GET /admin: the page that polls the stats, for an admin account too', async () => {
    const res = await t.request('GET', '/admin', { token: (await t.account({ admin: true })).token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).toContain("fetch('/admin/stats'");
  });
});

describe('errors', () => {
  it('both are 401 without an admin credential', async () => {
    for (const path of ['/admin/stats', '/admin']) {
      expectError(await t.request('GET', path), 401, 'unauthorized');
      expectError(await t.request('GET', path, { token: 'not-the-admin-token' }), 401, 'unauthorized');
    }
  });

  it('both are 403 forbidden for a user who is not an admin', async () => {
    const guest = await t.guest();
    for (const path of ['/admin/stats', '/admin']) expectError(await guest.call('GET', path), 403, 'forbidden');
  });
});
