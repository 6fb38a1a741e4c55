import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  // Small enough that an ink source can be over it without being over the body limit.
  t = await createTestApp({ MAX_INK_SOURCE_BYTES: '2048' });
});
afterAll(() => t?.close());

const INK = 'A door creaks open.\n* [Go in] -> END\n';

describe('happy path', () => {
  it('GET /api/stories: the shipped stories, without their source', async () => {
    const res = await (await t.guest()).call('GET', '/api/stories');
    expect(res.status).toBe(200);
    const vault = res.body.stories.find((s: { slug: string }) => s.slug === 'vault');
    expect(vault).toEqual({ id: expect.any(String), slug: 'vault', title: 'The Vault', owner_id: null, version: expect.any(String), visibility: 'public', created_at: expect.any(String) });
    expect(res.body.stories.map((s: { slug: string }) => s.slug)).toContain('long-watch');
  });

  it('POST /api/stories: compiles and stores a private story; its owner lists and reads it, with the source', async () => {
    const me = await t.guest();
    const created = await me.call('POST', '/api/stories', { title: 'The Door', source: INK });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'The Door', owner_id: me.userId, visibility: 'private', hidden: false, source: INK });
    expect(created.body.slug).toMatch(/^the-door-[a-z0-9]+$/);
    const listed = await me.call('GET', '/api/stories');
    expect(listed.body.stories.find((s: { id: string }) => s.id === created.body.id)).toMatchObject({ title: 'The Door', hidden: false });
    const read = await me.call('GET', `/api/stories/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('POST /api/stories with a slug and public visibility: everyone sees it, without the moderation flag', async () => {
    const me = await t.guest();
    const created = await me.call('POST', '/api/stories', { title: 'Shared', source: INK, slug: 'shared-door', visibility: 'public' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'shared-door', visibility: 'public' });
    const other = await t.guest();
    const read = await other.call('GET', `/api/stories/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('hidden');
    expect((await other.call('GET', '/api/stories')).body.stories.map((s: { id: string }) => s.id)).toContain(created.body.id);
  });

  it('POST /api/stories with files and main: INCLUDE follows the files, which the story keeps', async () => {
    const me = await t.guest();
    const files = { 'start.ink': 'INCLUDE parts/ch1.ink\n-> ch1\n', 'parts/ch1.ink': '=== ch1 ===\nChapter one.\n+ [Next] -> END\n' };
    const created = await me.call('POST', '/api/stories', { title: 'Chapters', files, main: 'start.ink' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ files, main: 'start.ink' });
    expect((await me.call('GET', `/api/stories/${created.body.id}`)).body).toMatchObject({ files, main: 'start.ink' });
    const session = await me.call('POST', '/api/sessions', { story_id: created.body.id });
    expect(session.body.opening.text).toContain('Chapter one.');
  });

  it('PATCH /api/stories/:id: the owner renames it and makes it public', async () => {
    const me = await t.guest();
    const { body: story } = await me.call('POST', '/api/stories', { title: 'Draft', source: INK });
    const patched = await me.call('PATCH', `/api/stories/${story.id}`, { title: '  Final  ', visibility: 'public' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: story.id, title: 'Final', visibility: 'public', source: INK });
    expect((await (await t.guest()).call('GET', `/api/stories/${story.id}`)).status).toBe(200);
  });
});

describe('errors', () => {
  it('every /api/stories route is 401 without a valid token', async () => {
    const id = await t.storyId();
    expectError(await t.request('GET', '/api/stories'), 401, 'unauthorized');
    expectError(await t.request('POST', '/api/stories', { body: { title: 'x', source: INK } }), 401, 'unauthorized');
    expectError(await t.request('GET', `/api/stories/${id}`, { token: 'nope' }), 401, 'unauthorized');
    expectError(await t.request('PATCH', `/api/stories/${id}`, { body: { title: 'x' } }), 401, 'unauthorized');
  });

  it('POST /api/stories is 400 for a malformed body, naming the fields', async () => {
    const me = await t.guest();
    const missing = await me.call('POST', '/api/stories', { source: INK });
    expectError(missing, 400, 'bad_request');
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: 'title' })]);
    expectError(await me.call('POST', '/api/stories', { title: 'x', source: INK, slug: 'Not A Slug' }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/stories', { title: 'x', source: INK, visibility: 'secret' }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/stories', { title: '   ', source: INK }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/stories', 'title=x'), 400, 'bad_request');
  });

  it('POST /api/stories is 400 without exactly one of source and files, or with bad file names (named in details)', async () => {
    const me = await t.guest();
    expectError(await me.call('POST', '/api/stories', { title: 'x' }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/stories', { title: 'x', source: INK, files: { 'main.ink': INK } }), 400, 'bad_request');
    const names = await me.call('POST', '/api/stories', { title: 'x', files: { '../up.ink': INK, 'notes.txt': 'hi' }, main: 'other.ink' });
    expectError(names, 400, 'bad_request');
    expect(names.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['files.../up.ink', 'files.notes.txt', 'main']));
    expectError(await me.call('POST', '/api/stories', { title: 'x', files: {} }), 400, 'bad_request');
  });

  it('POST /api/stories is 413 for a source over MAX_INK_SOURCE_BYTES, and for a body over the upload limit', async () => {
    const me = await t.guest();
    expectError(await me.call('POST', '/api/stories', { title: 'Big', files: { 'main.ink': 'x'.repeat(1500), 'b.ink': 'y'.repeat(1500) } }), 413, 'payload_too_large');
    // Within the body limit (1.25 × the source limit + 4 KB), over the source limit.
    expectError(await me.call('POST', '/api/stories', { title: 'Big', source: 'x'.repeat(3000) }), 413, 'payload_too_large');
    expectError(await me.call('POST', '/api/stories', { title: 'Huge', source: 'x'.repeat(10_000) }), 413, 'payload_too_large');
  });

  it('POST /api/stories is 422 ink_compile_error, with the errors by line', async () => {
    const res = await (await t.guest()).call('POST', '/api/stories', { title: 'Broken', source: 'Hello\n-> nowhere\n' });
    expectError(res, 422, 'ink_compile_error');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ line: expect.any(Number), message: expect.any(String) })]));
    const inFile = await (await t.guest()).call('POST', '/api/stories', { title: 'Broken', files: { 'main.ink': 'INCLUDE b.ink\n-> b\n', 'b.ink': '=== b ===\n-> nowhere\n' } });
    expectError(inFile, 422, 'ink_compile_error');
    expect(inFile.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'b.ink', line: expect.any(Number) })]));
  });

  it('POST /api/stories is 422 ink_unbound_external for an EXTERNAL function without an ink fallback', async () => {
    const res = await (await t.guest()).call('POST', '/api/stories', { title: 'Dice', source: 'EXTERNAL roll(sides)\n~ temp r = roll(6)\nRolled.\n+ [Ok] -> END\n' });
    expectError(res, 422, 'ink_unbound_external');
    expect(res.body.error.details).toEqual([expect.objectContaining({ function: 'roll', line: expect.any(Number) })]);
  });

  it('POST /api/stories is 429 rate_limited over the upload rate, with Retry-After', async () => {
    const call = t.withDeps({ security: { ...t.deps.security, uploadsPerHour: 1 } });
    const me = await t.guest();
    expect((await call('POST', '/api/stories', { token: me.token, body: { title: 'One', source: INK } })).status).toBe(201);
    const res = await call('POST', '/api/stories', { token: me.token, body: { title: 'Two', source: INK } });
    expectError(res, 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('GET /api/stories/:id is 404 story_not_found for an unknown id and for someone else’s private story', async () => {
    const owner = await t.guest();
    const { body: story } = await owner.call('POST', '/api/stories', { title: 'Mine', source: INK });
    const other = await t.guest();
    expectError(await other.call('GET', '/api/stories/00000000-0000-0000-0000-000000000000'), 404, 'story_not_found');
    expectError(await other.call('GET', `/api/stories/${story.id}`), 404, 'story_not_found');
    expect((await other.call('GET', '/api/stories')).body.stories.map((s: { id: string }) => s.id)).not.toContain(story.id);
  });

  it('GET /api/stories/:id is 400 for an id over 100 characters', async () => {
    expectError(await (await t.guest()).call('GET', `/api/stories/${'a'.repeat(101)}`), 400, 'bad_request');
  });

  it('PATCH /api/stories/:id is 400 for a malformed body', async () => {
    const me = await t.guest();
    const { body: story } = await me.call('POST', '/api/stories', { title: 'Mine', source: INK });
    expectError(await me.call('PATCH', `/api/stories/${story.id}`, { visibility: 'everyone' }), 400, 'bad_request');
    expectError(await me.call('PATCH', `/api/stories/${story.id}`, { title: '' }), 400, 'bad_request');
  });

  it('PATCH /api/stories/:id is 403 forbidden on a story one can see but does not own', async () => {
    const owner = await t.guest();
    const { body: story } = await owner.call('POST', '/api/stories', { title: 'Public', source: INK, visibility: 'public' });
    const other = await t.guest();
    expectError(await other.call('PATCH', `/api/stories/${story.id}`, { title: 'Taken' }), 403, 'forbidden');
    expectError(await other.call('PATCH', `/api/stories/${await t.storyId()}`, { visibility: 'private' }), 403, 'forbidden');
  });

  it('PATCH /api/stories/:id is 404 for an unknown story and for someone else’s private one', async () => {
    const owner = await t.guest();
    const { body: story } = await owner.call('POST', '/api/stories', { title: 'Private', source: INK });
    const other = await t.guest();
    expectError(await other.call('PATCH', `/api/stories/${story.id}`, { title: 'Taken' }), 404, 'story_not_found');
    expectError(await other.call('PATCH', '/api/stories/00000000-0000-0000-0000-000000000000', { title: 'x' }), 404, 'story_not_found');
  });

  it('a story hidden by a moderator: its owner sees it flagged, others get 404', async () => {
    const owner = await t.guest();
    const { body: story } = await owner.call('POST', '/api/stories', { title: 'Hidden', source: INK, visibility: 'public' });
    expect((await t.request('PUT', `/api/admin/stories/${story.id}/hidden`, { token: ADMIN_TOKEN, body: { reason: 'spam' } })).status).toBe(200);
    expect((await owner.call('GET', `/api/stories/${story.id}`)).body).toMatchObject({ hidden: true });
    expectError(await (await t.guest()).call('GET', `/api/stories/${story.id}`), 404, 'story_not_found');
  });
});
