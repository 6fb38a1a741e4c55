import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../app.js';
import { toApiEvent } from '../wire.js';
import { ALL, GIF, OGG, PNG, WAV, WEBP, wav } from './__fixtures__/asset-files.js';
import { createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
let raw: (path: string, init: RequestInit) => Promise<Response>;
beforeAll(async () => {
  t = await createTestApp({ ASSET_MAX_BYTES: '4096', ASSET_QUOTA_BYTES: '12000', RATE_LIMIT_UPLOADS_PER_HOUR: '0', RATE_LIMIT_UPLOADS_PER_HOUR_PER_IP: '0' });
  const app = createHttpApp(t.deps).app;
  raw = async (path, init) => app.request(path, init);
});
afterAll(() => t?.close());

const SOURCE = '# cover: front.png\nThe harbour. # image: harbour.webp\n* [Listen] Rain. # audio: rain.ogg\n-> END\n';

async function story(user: User, visibility: 'private' | 'public' = 'private', source = SOURCE): Promise<string> {
  const res = await user.call('POST', '/api/stories', { title: 'Harbour', source, visibility });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function upload(user: User, storyId: string, bytes: Uint8Array, name?: string) {
  const form = new FormData();
  form.set('file', new Blob([Buffer.from(bytes)]), name ?? 'upload.bin');
  if (name) form.set('name', name);
  const res = await raw(`/api/stories/${storyId}/assets`, { method: 'POST', body: form, headers: { authorization: `Bearer ${user.token}` } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as any };
}

const get = (user: User, path: string, headers: Record<string, string> = {}) => raw(path, { headers: { authorization: `Bearer ${user.token}`, ...headers } });

describe('story assets', () => {
  it('uploads and serves each type, told from the bytes, with ETag and Cache-Control', async () => {
    const me = await t.guest();
    const id = await story(me);
    for (const file of ALL) {
      // The file's own name is a lie: the bytes decide the type.
      const up = await upload(me, id, file.bytes, file.name);
      expect(up.status, file.name).toBe(201);
      expect(up.body.asset).toEqual({ name: file.name, size: file.bytes.length, type: file.type, url: `/api/stories/${id}/assets/${file.name}` });
      const res = await get(me, up.body.asset.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(file.type);
      expect(res.headers.get('cache-control')).toBe('private, max-age=300');
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(file.bytes))).toBe(true);
      const etag = res.headers.get('etag');
      expect(etag).toMatch(/^".+"$/);
      expect((await get(me, up.body.asset.url, { 'if-none-match': etag! })).status).toBe(304);
    }
    const list = await me.call('GET', `/api/stories/${id}/assets`);
    expect(list.body.assets.map((a: { name: string }) => a.name)).toEqual(ALL.map((f) => f.name).sort());
  });

  it('warns about media tags that name no asset, until they exist', async () => {
    const me = await t.guest();
    const id = await story(me);
    const first = await upload(me, id, PNG, 'front.png');
    expect(first.body.warnings).toEqual(["the story's `# image: harbour.webp` tag names an asset that does not exist", "the story's `# audio: rain.ogg` tag names an asset that does not exist"]);
    await upload(me, id, OGG, 'rain.ogg');
    expect((await me.call('GET', `/api/stories/${id}/assets`)).body.warnings).toEqual(["the story's `# image: harbour.webp` tag names an asset that does not exist"]);
    expect((await upload(me, id, WEBP, 'harbour.webp')).body.warnings).toEqual([]);
  });

  it('deleting a story nobody plays deletes its files; a retired one keeps them for its sessions', async () => {
    const me = await t.guest();
    const gone = await story(me);
    await upload(me, gone, PNG, 'front.png');
    expect((await me.call('DELETE', `/api/stories/${gone}`)).body.removed).toBe(true);
    expect(await t.deps.assets!.missingFor({ id: gone, source: '# cover: front.png\nx\n', sourceFiles: null } as never)).toHaveLength(1);
    const played = await story(me, 'public');
    await upload(me, played, PNG, 'front.png');
    await me.call('POST', '/api/sessions', { story_id: played });
    expect((await me.call('DELETE', `/api/stories/${played}`)).body.removed).toBe(false);
    expect(await t.deps.assets!.missingFor({ id: played, source: '# cover: front.png\nx\n', sourceFiles: null } as never)).toEqual([]);
  });

  it('the story upload and a new version name the tags that no asset answers yet', async () => {
    const me = await t.guest();
    const created = await me.call('POST', '/api/stories', { title: 'Harbour', source: SOURCE });
    expect(created.status).toBe(201);
    expect(created.body.asset_warnings).toEqual([
      "the story's `# cover: front.png` tag names an asset that does not exist",
      "the story's `# image: harbour.webp` tag names an asset that does not exist",
      "the story's `# audio: rain.ogg` tag names an asset that does not exist",
    ]);
    await upload(me, created.body.id, PNG, 'front.png');
    await upload(me, created.body.id, OGG, 'rain.ogg');
    const next = await me.call('PUT', `/api/stories/${created.body.id}/source`, { title: 'Harbour', source: `${SOURCE}// with a new sound\nListen. # audio: gulls.ogg\n-> END\n` });
    expect(next.status).toBe(200);
    expect(next.body.asset_warnings).toEqual(["the story's `# image: harbour.webp` tag names an asset that does not exist", "the story's `# audio: gulls.ogg` tag names an asset that does not exist"]);
  });

  it('refuses other types (415), files over ASSET_MAX_BYTES (413), bad names (400), a full quota (403)', async () => {
    const me = await t.guest();
    const id = await story(me);
    expectError(await upload(me, id, new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'x.png'), 415, 'unsupported_media_type');
    expectError(await upload(me, id, new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]), 'doc.png'), 415, 'unsupported_media_type');
    expectError(await upload(me, id, wav(4097), 'long.wav'), 413, 'payload_too_large');
    expectError(await upload(me, id, PNG, '../escape.png'), 400, 'bad_request');
    expectError(await upload(me, id, PNG, '.hidden'), 400, 'bad_request');
    const bare = await raw(`/api/stories/${id}/assets`, { method: 'POST', body: 'x', headers: { authorization: `Bearer ${me.token}`, 'content-type': 'text/plain' } });
    expect(bare.status).toBe(400);
    // 12000 bytes in all: two stories' worth of 4000-byte files fill it; replacing one does not count twice.
    const other = await story(me);
    for (const [s, n] of [[id, 'a.wav'], [id, 'b.wav'], [other, 'c.wav']] as const) expect((await upload(me, s, wav(3956), n)).status).toBe(201);
    expect((await upload(me, id, wav(3956), 'a.wav')).status).toBe(201);
    const full = await upload(me, other, GIF, 'd.gif');
    expectError(full, 403, 'forbidden');
    expect(full.body.error.details).toMatchObject({ quota: 'asset_bytes', limit: 12000 });
  });

  it('a private story’s assets are not found by others; a public story’s are public; only the owner writes', async () => {
    const owner = await t.guest();
    const stranger = await t.guest();
    const secret = await story(owner);
    await upload(owner, secret, PNG, '港口.png');
    const url = `/api/stories/${secret}/assets/${encodeURIComponent('港口.png')}`;
    expect((await get(owner, url)).status).toBe(200);
    expect((await get(stranger, url)).status).toBe(404);
    expect((await get(stranger, `/api/stories/${secret}/assets`)).status).toBe(404);
    expect((await upload(stranger, secret, PNG, 'x.png')).status).toBe(404);
    expect((await raw(url, {})).status).toBe(401);

    const open = await story(owner, 'public');
    await upload(owner, open, WAV, 'drip.wav');
    const res = await get(stranger, `/api/stories/${open}/assets/drip.wav`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expectError(await upload(stranger, open, PNG, 'x.png'), 403, 'forbidden');
    expectError(await stranger.call('DELETE', `/api/stories/${open}/assets/drip.wav`), 403, 'forbidden');
    expect((await owner.call('DELETE', `/api/stories/${open}/assets/drip.wav`)).status).toBe(204);
    expectError(await owner.call('DELETE', `/api/stories/${open}/assets/drip.wav`), 404, 'not_found');
    expect((await get(stranger, `/api/stories/${open}/assets/drip.wav`)).status).toBe(404);
  });
});

describe('media tags in sessions', () => {
  it('resolve to session URLs in the opening, the session and turn results; the cover shows in the library', async () => {
    const owner = await t.guest();
    const stranger = await t.guest();
    const id = await story(owner);
    await upload(owner, id, PNG, 'front.png');
    const started = await owner.call('POST', '/api/sessions', { story_id: id });
    expect(started.status).toBe(201);
    const sid = started.body.session_id;
    const harbour = { kind: 'image', name: 'harbour.webp', url: `/api/sessions/${sid}/assets/harbour.webp` };
    // `# cover:` above the first line is a global tag: the story's, not the passage's.
    expect(started.body.opening.media).toEqual([harbour]);
    expect((await owner.call('GET', `/api/sessions/${sid}`)).body.media).toEqual(started.body.opening.media);
    const front = await get(owner, `/api/sessions/${sid}/assets/front.png`);
    expect(front.status).toBe(200);
    expect(front.headers.get('content-type')).toBe('image/png');
    expect((await get(stranger, `/api/sessions/${sid}/assets/front.png`)).status).toBe(404);
    expect((await get(owner, `/api/sessions/${sid}/assets/harbour.webp`)).status).toBe(404);
    const listed = await owner.call('GET', '/api/stories?mine=true');
    expect(listed.body.stories.find((s: { id: string }) => s.id === id)?.cover_url).toBe(`/api/stories/${id}/assets/front.png`);
    const turn = await t.play(owner, sid, 'Listen');
    expect(turn.status).toBe('completed');
    const rain = [{ kind: 'audio', name: 'rain.ogg', url: `/api/sessions/${sid}/assets/rain.ogg` }];
    expect(turn.result.updated_state.media).toEqual(rain);
    // The same on the event stream (the WebSocket and SSE body of turn.completed).
    const completed = (await t.deps.bus.replay(sid, 0)).find((e) => e.type === 'turn.completed')!;
    expect((toApiEvent(completed) as { result: { updated_state: { media: unknown } } }).result.updated_state.media).toEqual(rain);
  });
});
