import { request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterPng, fixture } from '../../memory/lorebook/__fixtures__/png.js';
import { createHttpApp } from '../app.js';
import { createTestApp, expectError, type Reply, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
let app: ReturnType<typeof createHttpApp>['app'];
beforeAll(async () => {
  t = await createTestApp();
  app = createHttpApp(t.deps).app;
});
afterAll(() => t?.close());

/** POST a file as it is (any bytes, any type) or as the `file` field of a form. */
async function upload(user: User, path: string, file: Uint8Array, type: string | 'form' = 'application/json', via = app): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${user.token}` };
  let body: RequestInit['body'];
  if (type === 'form') {
    const form = new FormData();
    form.append('file', new Blob([file]), 'whatever.png');
    body = form;
  } else {
    headers['content-type'] = type;
    headers['content-length'] = String(file.length);
    body = file;
  }
  const res = await via.request(path, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
}

async function myStory(me: User, source = 'A lighthouse.\n* [Climb] -> END\n', visibility: 'private' | 'public' = 'private'): Promise<string> {
  const res = await me.call('POST', '/api/stories', { title: 'Lore', source, visibility });
  expect(res.status).toBe(201);
  return res.body.id;
}

const cardsOf = async (me: User, base: string) => ((await me.call('GET', `${base}/cards`)).body.cards as { name: string; keywords: string[]; text: string; when: string | null }[]).map(({ name, keywords, text, when }) => ({ name, keywords, text, when }));

describe('import', () => {
  it("a story's owner imports SillyTavern World Info: the report, and the cards in the file's priority order", async () => {
    const me = await t.guest();
    const storyId = await myStory(me);
    const res = await upload(me, `/api/stories/${storyId}/cards/import`, fixture('sillytavern-world-info.json'));
    expect(res.status).toBe(200);
    expect(res.body.format).toBe('sillytavern_world_info');
    expect(res.body.imported).toEqual([
      { card_id: expect.any(String), name: 'Weather', source: 'entries.1' },
      { card_id: expect.any(String), name: 'Gull Rock', source: 'entries.0' },
      { card_id: expect.any(String), name: 'logbook', source: 'entries.7' },
      { card_id: expect.any(String), name: 'Saltcombe', source: 'entries.3' },
    ]);
    expect(res.body.skipped).toEqual(expect.arrayContaining([{ source: 'entries.4', name: 'The lamp', reason: 'disabled in the file' }]));
    expect(res.body.skipped).toHaveLength(4);
    const cards = await cardsOf(me, `/api/stories/${storyId}`);
    expect(cards.map((c) => c.name)).toEqual(['Weather', 'Gull Rock', 'logbook', 'Saltcombe']);
    expect(cards[0]).toEqual({ name: 'Weather', keywords: [], text: expect.stringContaining('surf'), when: 'true' });
  });

  it('a player imports a PNG character card into their session, as a form upload; other formats raw', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const png = characterPng(JSON.parse(fixture('character-v3.json').toString()), 'ccv3');
    const res = await upload(me, `/api/sessions/${sessionId}/cards/import`, png, 'form');
    expect(res.status).toBe(200);
    expect(res.body.format).toBe('sillytavern_character_v3');
    expect((await cardsOf(me, `/api/sessions/${sessionId}`)).map((c) => c.name)).toEqual(['Captain Ilse Varg (1/2)', 'Captain Ilse Varg (2/2)', 'Pirates', 'Kestrel', 'Slang']);
    expect((await upload(me, `/api/sessions/${sessionId}/cards/import`, png, 'image/png')).body.format).toBe('sillytavern_character_v3');
    expect((await upload(me, `/api/sessions/${sessionId}/cards/import`, fixture('novelai.lorebook'), 'application/octet-stream')).body.format).toBe('novelai_lorebook');
    expect((await upload(me, `/api/sessions/${sessionId}/cards/import`, fixture('ai-dungeon-story-cards.json'))).body.imported).toHaveLength(2);
  });

  it('422 for a malformed or unknown file, and nothing is imported', async () => {
    const me = await t.guest();
    const storyId = await myStory(me);
    const path = `/api/stories/${storyId}/cards/import`;
    const broken = await upload(me, path, Buffer.from('{"entries": {"0": {"key": ["a"], "content": 5}}}'));
    expectError(broken, 422, 'lorebook_invalid');
    expect(broken.body.error.details).toEqual([{ path: 'entries.0.content', message: expect.any(String) }]);
    expectError(await upload(me, path, fixture('novelai.lorebook').subarray(0, 300)), 422, 'lorebook_invalid');
    expectError(await upload(me, path, Buffer.from('{"hello": "world"}')), 422, 'lorebook_unknown_format');
    expectError(await upload(me, path, Buffer.alloc(0)), 400, 'bad_request');
    expect(await cardsOf(me, `/api/stories/${storyId}`)).toEqual([]);
  });

  it('an import that would pass 500 cards is refused whole (413), and one condition that does not fit the story is skipped', async () => {
    const me = await t.guest();
    const storyId = await myStory(me);
    const entries = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [String(i), { key: [`k${i}`], content: `Entry ${i}.` }]));
    expectError(await upload(me, `/api/stories/${storyId}/cards/import`, Buffer.from(JSON.stringify({ entries }))), 413, 'payload_too_large');
    expect(await cardsOf(me, `/api/stories/${storyId}`)).toEqual([]);
    const withCondition = { entries: { 0: { key: ['vault'], content: 'Trusted.', comment: 'Trust', extensions: { mock_drama: { when: 'trust >= 3' } } } } };
    const res = await upload(me, `/api/stories/${storyId}/cards/import`, Buffer.from(JSON.stringify(withCondition)));
    expect(res.body).toEqual({ format: 'sillytavern_world_info', imported: [], skipped: [{ source: 'entries.0', name: 'Trust', reason: expect.stringContaining('no variable "trust"') }] });
  });

  it("403 for someone else's visible story, 404 for a private one or someone else's session", async () => {
    const owner = await t.guest();
    const other = await t.guest();
    const file = fixture('ai-dungeon-story-cards.json');
    expectError(await upload(other, `/api/stories/${await myStory(owner, undefined, 'public')}/cards/import`, file), 403, 'forbidden');
    expectError(await upload(other, `/api/stories/${await myStory(owner)}/cards/import`, file), 404, 'story_not_found');
    expectError(await upload(other, `/api/sessions/${await t.newSession(owner)}/cards/import`, file), 404, 'session_not_found');
    expectError(await upload(other, `/api/stories/${await t.storyId()}/cards/import`, file), 403, 'forbidden');
  });
});

describe('limits', () => {
  it('an import counts as an upload against the hourly upload limit (429 rate_limited)', async () => {
    const me = await t.guest();
    const limited = createHttpApp({ ...t.deps, security: { ...t.deps.security, uploadsPerHour: 1 } }).app;
    const sessionId = await t.newSession(me);
    const file = fixture('ai-dungeon-story-cards.json');
    expect((await upload(me, `/api/sessions/${sessionId}/cards/import`, file, undefined, limited)).status).toBe(200);
    expectError(await upload(me, `/api/sessions/${sessionId}/cards/import`, file, undefined, limited), 429, 'rate_limited');
  });

  it('413 beyond IMPORT_MAX_BYTES, with our error, and the next request on the same kept-alive connection is answered', async () => {
    const me = await t.guest();
    const storyId = await myStory(me);
    const small = createHttpApp({ ...t.deps, limits: { ...t.deps.limits, maxImportBytes: 2048 } }).app;
    const server = serve({ fetch: small.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: Buffer) =>
      new Promise<{ status: number; body: string; reused: boolean }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, method, path, agent, headers: { authorization: `Bearer ${me.token}`, ...(body ? { 'content-type': 'image/png', 'content-length': body.length } : {}) } }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, body: text, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      expect((await send('GET', '/healthz')).status).toBe(200);
      const png = characterPng(JSON.parse(fixture('character-v2.json').toString()));
      expect(png.length).toBeGreaterThan(2048);
      const refused = await send('POST', `/api/stories/${storyId}/cards/import`, png);
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body).error.code).toBe('payload_too_large');
      const next = await send('GET', `/api/stories/${storyId}/cards`);
      expect({ status: next.status, reused: next.reused }).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('export', () => {
  it('SillyTavern World Info as an attachment; imported into another story it gives the same cards', async () => {
    const me = await t.guest();
    const source = 'VAR trust = 0\nA lighthouse.\n* [Climb] -> END\n';
    const storyId = await myStory(me, source);
    await upload(me, `/api/stories/${storyId}/cards/import`, fixture('sillytavern-world-info.json'));
    await me.call('POST', `/api/stories/${storyId}/cards`, { name: 'Trusted', keywords: ['keeper'], text: 'He trusts you.', when: 'trust >= 3' });
    const res = await me.call('GET', `/api/stories/${storyId}/cards/export?format=sillytavern`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="lore-[a-z0-9-]+-lorebook\.json"$/);
    expect(res.body.entries['0']).toMatchObject({ uid: 0, key: [], comment: 'Weather', constant: true, order: 5, disable: false, selectiveLogic: 0, position: 0 });
    expect(res.body.entries['4']).toMatchObject({ key: ['keeper'], constant: false, extensions: { mock_drama: { when: 'trust >= 3' } } });
    const copy = await myStory(me, source);
    const again = await upload(me, `/api/stories/${copy}/cards/import`, Buffer.from(res.text));
    expect(again.body.skipped).toEqual([]);
    expect(await cardsOf(me, `/api/stories/${copy}`)).toEqual(await cardsOf(me, `/api/stories/${storyId}`));
  });

  it('400 for an unknown format; 404 for a story one cannot see; readable by anyone who can read the cards', async () => {
    const owner = await t.guest();
    const other = await t.guest();
    const storyId = await myStory(owner);
    expectError(await owner.call('GET', `/api/stories/${storyId}/cards/export?format=novelai`), 400, 'bad_request');
    expectError(await other.call('GET', `/api/stories/${storyId}/cards/export`), 404, 'story_not_found');
    expect((await other.call('GET', `/api/stories/${await t.storyId()}/cards/export`)).body).toEqual({ entries: {} });
  });
});
