import { Hono } from 'hono';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ISSUER, ADMIN_TOKEN, createTestApp, expectError, JWT_SECRET, type Call, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
/** The app with a queue dashboard mounted, as in distributed mode; Bull Board's place is taken by a two-route app. */
let withDashboard: Call;
const dashboard = async () => new Hono().get('/', (c) => c.text('queue dashboard')).get('/api/queues', (c) => c.json({ queues: [] }));
beforeAll(async () => {
  t = await createTestApp();
  withDashboard = t.withDeps({ admin: { ...t.deps.admin, dashboard } });
});
afterAll(() => t?.close());

describe('happy path', () => {
  it('/admin/queues serves the dashboard to ADMIN_TOKEN and to an admin account', async () => {
    const byToken = await withDashboard('GET', '/admin/queues', { token: ADMIN_TOKEN });
    expect(byToken.status).toBe(200);
    expect(byToken.text).toBe('queue dashboard');
    expect((await withDashboard('GET', '/admin/queues', { token: (await t.account({ admin: true })).token })).status).toBe(200);
  });

  it('/admin/queues?token= sets an HttpOnly cookie scoped to /admin, which then lets the browser in', async () => {
    const first = await withDashboard('GET', `/admin/queues?token=${ADMIN_TOKEN}`);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^md_admin=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const again = await withDashboard('GET', '/admin/queues', { headers: { cookie: cookie.split(';')[0]! } });
    expect(again.status).toBe(200);
  });

  it('the dashboard is made at its first request that passes admin auth, once, and serves its own paths', async () => {
    let made = 0;
    const basePaths: string[] = [];
    const counted = t.withDeps({ admin: { ...t.deps.admin, dashboard: (basePath: string) => ((made += 1), basePaths.push(basePath), dashboard()) } });
    expectError(await counted('GET', '/admin/queues'), 401, 'unauthorized');
    expect(made).toBe(0);
    const [page, api] = await Promise.all([counted('GET', '/admin/queues', { token: ADMIN_TOKEN }), counted('GET', '/admin/queues/api/queues', { token: ADMIN_TOKEN })]);
    expect(page.text).toBe('queue dashboard');
    expect(api.body).toEqual({ queues: [] });
    expect(made).toBe(1);
    expect(basePaths).toEqual(['/admin/queues']);
    expect((await counted('GET', '/admin/queues', { token: ADMIN_TOKEN })).status).toBe(200);
    expectError(await counted('GET', '/admin/queues/no/such/page', { token: ADMIN_TOKEN }), 404, 'not_found');
    expect(made).toBe(1);
  });

  it('a dashboard that fails to load is a clean 500 error, and the next request tries again', async () => {
    let attempts = 0;
    const flaky = t.withDeps({
      admin: {
        ...t.deps.admin,
        dashboard: async () => {
          attempts += 1;
          if (attempts === 1) throw new Error('cannot load bull-board');
          return new Hono().get('/', (c) => c.text('queue dashboard'));
        },
      },
    });
    expectError(await flaky('GET', '/admin/queues', { token: ADMIN_TOKEN }), 500, 'internal');
    const second = await flaky('GET', '/admin/queues', { token: ADMIN_TOKEN });
    expect(second.text).toBe('queue dashboard');
    expect(attempts).toBe(2);
  });

  it('without a dashboard (the in-process queue) /admin/queues is not served', async () => {
    expectError(await t.request('GET', '/admin/queues', { token: ADMIN_TOKEN }), 404, 'not_found');
  });
});

describe('errors', () => {
  it('/admin/queues is 401 without a credential, or with one that is neither ADMIN_TOKEN nor a valid token', async () => {
    expectError(await withDashboard('GET', '/admin/queues'), 401, 'unauthorized');
    expectError(await withDashboard('GET', '/admin/queues', { token: `${ADMIN_TOKEN}-wrong` }), 401, 'unauthorized');
    expectError(await withDashboard('GET', '/admin/queues?token=nope'), 401, 'unauthorized');
    expectError(await withDashboard('GET', '/admin/queues', { headers: { cookie: 'md_admin=nope' } }), 401, 'unauthorized');
  });

  it('/admin/queues is 401 for an admin token that expired, even from the cookie', async () => {
    const expired = await new SignJWT({ role: 'authenticated', app_metadata: { role: 'admin' } })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(crypto.randomUUID())
      .setAudience('authenticated')
      .setIssuer(ACCOUNT_ISSUER)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    expectError(await withDashboard('GET', '/admin/queues', { headers: { cookie: `md_admin=${expired}` } }), 401, 'unauthorized');
  });

  it('/admin/queues is 403 forbidden for a signed-in user who is not an admin', async () => {
    expectError(await withDashboard('GET', '/admin/queues', { token: (await t.account()).token }), 403, 'forbidden');
    expectError(await withDashboard('GET', '/admin/queues', { token: (await t.guest()).token }), 403, 'forbidden');
  });
});
