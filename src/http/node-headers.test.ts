import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setResponseHeader, staticHeaders } from './node-headers.js';

/** What Hono's own middleware puts on a response, to compare with. */
async function honoHeaders(): Promise<Record<string, string>> {
  const app = new Hono().use(secureHeaders({ crossOriginResourcePolicy: 'same-site' })).get('/', (c) => c.json({}));
  const res = await app.request('/');
  return Object.fromEntries([...res.headers.entries()].filter(([name]) => name !== 'content-type'));
}

function appUnderTest() {
  return new Hono()
    .use(staticHeaders(secureHeaders({ crossOriginResourcePolicy: 'same-site' })))
    .use(async (c, next) => {
      setResponseHeader(c, 'X-Request-Id', 'req-1');
      await next();
    })
    .get('/json', (c) => c.json({ ok: true }, 202))
    .get('/own', (c) => c.text('framed', 200, { 'X-Frame-Options': 'DENY', 'Cache-Control': 'no-store' }))
    .get('/fails', () => {
      throw new Error('boom');
    })
    .onError((_err, c) => c.json({ error: 'failed' }, 500));
}

describe("headers set on Node's response (node-headers.ts)", () => {
  let server: ServerType;
  let base: string;
  beforeAll(async () => {
    server = serve({ fetch: appUnderTest().fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("a real server's responses carry every header the middleware would set, and the request's own", async () => {
    const expected = await honoHeaders();
    expect(Object.keys(expected).length).toBeGreaterThan(5);
    for (const path of ['/json', '/fails', '/missing']) {
      const res = await fetch(base + path);
      for (const [name, value] of Object.entries(expected)) expect(res.headers.get(name), `${path}: ${name}`).toBe(value);
      expect(res.headers.get('x-request-id')).toBe('req-1');
    }
    const json = await fetch(`${base}/json`);
    expect(json.status).toBe(202);
    expect(json.headers.get('content-type')).toMatch(/application\/json/);
    expect(await json.json()).toEqual({ ok: true });
  });

  it("a route's own header of the same name wins, and its others are kept", async () => {
    const res = await fetch(`${base}/own`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('framed');
  });

  it('without a Node response (app.request) the same headers come through Hono', async () => {
    const expected = await honoHeaders();
    const res = await appUnderTest().request('/json');
    for (const [name, value] of Object.entries(expected)) expect(res.headers.get(name), name).toBe(value);
    expect(res.headers.get('x-request-id')).toBe('req-1');
  });
});
