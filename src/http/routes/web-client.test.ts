import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type Call, type TestApp } from './__fixtures__/test-app.js';

const INDEX = '<!doctype html><title>mock-drama</title><div id="app"></div>';

let t: TestApp;
let dist: string;
/** The app serving a built client from `dist`. */
let web: Call;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'md-route-web-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'index-Ab12Cd.js'), 'console.log(1)');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  t = await createTestApp();
  web = t.withDeps({ webClientDir: dist });
});
afterAll(async () => {
  await t?.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('happy path', () => {
  it('serves index.html at / and for client routes (GET and HEAD), never cached', async () => {
    for (const path of ['/', '/play/some-session', '/sessions']) {
      const res = await web('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.text).toBe(INDEX);
    }
    expect((await web('HEAD', '/')).status).toBe(200);
  });

  it('serves files with their content type; hashed assets are cached for good', async () => {
    const js = await web('GET', '/assets/index-Ab12Cd.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const svg = await web('GET', '/favicon.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('leaves the server’s own paths alone', async () => {
    expect((await web('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await web('GET', '/openapi.json')).body.openapi).toBe('3.1.0');
    expectError(await web('GET', '/api/nothing-here'), 404, 'not_found');
    expectError(await web('GET', '/admin/anything'), 404, 'not_found');
  });
});

describe('errors', () => {
  it('a missing file is the JSON 404', async () => {
    expectError(await web('GET', '/assets/gone.js'), 404, 'not_found');
    expectError(await web('GET', '/missing.png'), 404, 'not_found');
  });

  it('never leaves the build directory', async () => {
    for (const path of ['/..%2fpackage.json', '/assets/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/%ZZ']) {
      const res = await web('GET', path);
      expect(res.text, path).not.toContain('"name": "mock-drama"');
      expect([200, 404], path).toContain(res.status);
    }
  });

  it('is 503 with a self-refreshing page while the client is not built yet', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'md-route-web-empty-'));
    try {
      const res = await t.withDeps({ webClientDir: empty })('GET', '/play/x');
      expect(res.status).toBe(503);
      expect(res.text).toContain('http-equiv="refresh"');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('without a client directory, / is the JSON 404', async () => {
    expectError(await t.request('GET', '/'), 404, 'not_found');
  });
});
