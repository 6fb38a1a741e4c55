/**
 * The web client's static route next to the API: content types, caching of hashed assets, the
 * SPA fallback for client routes, and the server's own paths untouched (JSON 404s included).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { testServerEnv } from '../support/test-env.js';

let server: RunningServer;
let dist: string;
const INDEX = '<!doctype html><title>mock-drama</title><div id="app"></div>';

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'md-web-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), INDEX);
  await writeFile(join(dist, 'assets', 'index-Ab12Cd.js'), 'console.log(1)');
  await writeFile(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  server = await startServer(testServerEnv({ JWT_SECRET: 'web-route-secret-0123456789abcdefghijk' }), silentLogger(), 'all', { webClientDir: dist });
});

afterAll(async () => {
  await server?.shutdown();
  await rm(dist, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

describe('web client route', () => {
  it('serves index.html at / and for client routes, never cached', async () => {
    for (const path of ['/', '/play/some-session', '/stories/abc', '/sessions']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    }
    expect((await get('/', { method: 'HEAD' })).status).toBe(200);
  });

  it('serves files with their content type; hashed assets are cached for good', async () => {
    const js = await get('/assets/index-Ab12Cd.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const svg = await get('/favicon.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing file with the JSON 404, and never leaves the build directory', async () => {
    const missing = await get('/assets/gone.js');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    for (const path of ['/..%2fpackage.json', '/assets/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json']) {
      const res = await get(path);
      expect(await res.text(), path).not.toContain('"name": "mock-drama"');
    }
  });

  it('leaves the server’s own routes alone', async () => {
    expect((await get('/healthz')).headers.get('content-type')).toMatch(/json/);
    expect((await get('/openapi.json')).headers.get('content-type')).toMatch(/json/);
    expect((await get('/docs')).headers.get('content-type')).toMatch(/html/);
    expect((await get('/metrics')).status).toBe(200);
    const api = await get('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const ws = await get('/ws/story/some-session');
    expect(ws.status).toBe(401);
  });
});
