/**
 * Story assets against a listening server, on both databases: embedded PGlite with assets on local
 * disk, and PostgreSQL with assets in S3-compatible storage (s3rver, started here). Upload, list,
 * serve with ETag, the private story's assets hidden from another user, delete.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL } from '../../src/http/routes/__fixtures__/asset-files.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { dbTargets } from '../support/test-env.js';

let dir = '';
let s3: S3rver | undefined;
let s3Endpoint = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-assets-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'drama', configs: [] }] });
  s3Endpoint = `http://127.0.0.1:${((await s3.run()) as AddressInfo).port}`;
});
afterAll(async () => {
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

describe.each(dbTargets())('story assets [$name]', (target) => {
  let server: RunningServer;
  beforeAll(async () => {
    const storage: Record<string, string> =
      target.name === 'postgres' ? { S3_ENDPOINT: s3Endpoint, S3_BUCKET: 'drama', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_PREFIX: `${target.name}/` } : {};
    server = await startServer(target.env({ JWT_SECRET: 'e2e-assets-secret-0123456789abcdefghijkl', ...storage }), silentLogger());
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await target.cleanup();
  });

  it('uploads each type, serves it with its type and ETag, hides a private story’s assets from others', async () => {
    const guest = async () => (await api(server.url)('POST', '/api/auth/guest')).body.token as string;
    const [owner, stranger] = [await guest(), await guest()];
    const storyId = (await api(server.url, owner)('POST', '/api/stories', { title: '港の朝', source: 'Dawn. # image: red.png\n-> END\n' })).body.id as string;
    for (const file of ALL) {
      const form = new FormData();
      form.set('file', new Blob([Buffer.from(file.bytes)]), file.name);
      const up = await fetch(`${server.url}/api/stories/${storyId}/assets`, { method: 'POST', body: form, headers: { authorization: `Bearer ${owner}` } });
      expect(up.status, file.name).toBe(201);
      const res = await fetch(`${server.url}/api/stories/${storyId}/assets/${file.name}`, { headers: { authorization: `Bearer ${owner}` } });
      expect([res.status, res.headers.get('content-type')]).toEqual([200, file.type]);
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(file.bytes))).toBe(true);
      const again = await fetch(`${server.url}/api/stories/${storyId}/assets/${file.name}`, { headers: { authorization: `Bearer ${owner}`, 'if-none-match': res.headers.get('etag')! } });
      expect(again.status).toBe(304);
      const other = await fetch(`${server.url}/api/stories/${storyId}/assets/${file.name}`, { headers: { authorization: `Bearer ${stranger}` } });
      expect(other.status).toBe(404);
    }
    const listed = await api(server.url, owner)('GET', `/api/stories/${storyId}/assets`);
    expect(listed.body.assets.map((a: { name: string; size: number }) => [a.name, a.size])).toEqual(ALL.map((f) => [f.name, f.bytes.length] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    expect((await api(server.url, owner)('DELETE', `/api/stories/${storyId}/assets/red.png`)).status).toBe(204);
    expect((await fetch(`${server.url}/api/stories/${storyId}/assets/red.png`, { headers: { authorization: `Bearer ${owner}` } })).status).toBe(404);
  });
});
