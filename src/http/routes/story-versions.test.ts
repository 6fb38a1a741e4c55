import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  // A turn stays in flight long enough for an upgrade to find it; a source can be over its limit within the body limit.
  t = await createTestApp({ OFFLINE_LATENCY_MS: '100', MAX_INK_SOURCE_BYTES: '2048' });
});
afterAll(() => t?.close());

const V1 = 'VAR coins = 1\n-> hall\n=== hall ===\nA dusty hall.\n+ [Wait] -> hall\n+ [Leave] -> END\n';
const V2 = 'VAR coins = 1\n-> hall\n=== hall ===\nA bright hall.\n+ [Wait] -> hall\n+ [Leave] -> END\n';
/** Where a session of V1 stands (the hall) is gone. */
const WITHOUT_HALL = '-> yard\n=== yard ===\nA yard.\n+ [Leave] -> END\n';

/** A story of `owner`'s at version 1. */
async function story(owner: User, visibility: 'private' | 'public' = 'private'): Promise<{ id: string; version: string }> {
  const res = await owner.call('POST', '/api/stories', { title: 'Versions', source: V1, visibility });
  expect(res.status).toBe(201);
  return res.body;
}

async function sessionOn(player: User, storyId: string): Promise<string> {
  const res = await player.call('POST', '/api/sessions', { story_id: storyId });
  expect(res.status).toBe(201);
  return res.body.session_id;
}

describe('happy path', () => {
  it('PUT /api/stories/:id/source compiles the next version; sessions stay on theirs, new ones start on it', async () => {
    const me = await t.guest();
    const v1 = await story(me);
    const old = await sessionOn(me, v1.id);
    const res = await me.call('PUT', `/api/stories/${v1.id}/source`, { source: V2, title: 'Versions, revised' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: v1.id, title: 'Versions, revised', source: V2, hidden: false });
    expect(res.body.version).not.toBe(v1.version);
    expect((await me.call('GET', `/api/sessions/${old}`)).body.story_version).toBe(v1.version);
    expect((await me.call('GET', `/api/sessions/${await sessionOn(me, v1.id)}`)).body).toMatchObject({ story_version: res.body.version, text: expect.stringContaining('A bright hall') });
  });

  it('PUT …/source takes several files and the main one, like an upload', async () => {
    const me = await t.guest();
    const { id } = await story(me);
    const files = { 'start.ink': 'INCLUDE ch1.ink\n-> ch1\n', 'ch1.ink': '=== ch1 ===\nChapter one.\n+ [Next] -> END\n' };
    const res = await me.call('PUT', `/api/stories/${id}/source`, { files, main: 'start.ink' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ files, main: 'start.ink' });
  });

  it('GET /api/stories/:id/versions: the versions, oldest first, with the sessions on each, to anyone who sees the story', async () => {
    const owner = await t.guest();
    const v1 = await story(owner, 'public');
    await sessionOn(owner, v1.id);
    const v2 = (await owner.call('PUT', `/api/stories/${v1.id}/source`, { source: V2 })).body;
    const res = await (await t.guest()).call('GET', `/api/stories/${v1.id}/versions`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      versions: [
        { version: 1, hash: v1.version, created_at: expect.any(String), sessions: 1 },
        { version: 2, hash: v2.version, created_at: expect.any(String), sessions: 0 },
      ],
    });
  });

  it('POST /api/sessions/:id/upgrade moves a session to the latest version (or a given one), carrying its variables', async () => {
    const me = await t.guest();
    const v1 = await story(me);
    const sessionId = await sessionOn(me, v1.id);
    const v2 = (await me.call('PUT', `/api/stories/${v1.id}/source`, { source: V2 })).body;
    const v3 = (await me.call('PUT', `/api/stories/${v1.id}/source`, { source: V2.replace('bright', 'golden') })).body;
    const toTwo = await me.call('POST', `/api/sessions/${sessionId}/upgrade`, { version: 2 });
    expect(toTwo.status).toBe(200);
    expect(toTwo.body).toMatchObject({ session_id: sessionId, story_version: v2.version, variables: { coins: 1 } });
    const latest = await me.call('POST', `/api/sessions/${sessionId}/upgrade`);
    expect(latest.status).toBe(200);
    expect(latest.body.story_version).toBe(v3.version);
    // Already there: unchanged.
    expect((await me.call('POST', `/api/sessions/${sessionId}/upgrade`, {})).body.story_version).toBe(v3.version);
  });
});

describe('errors', () => {
  it('the version routes are 401 without a valid token', async () => {
    expectError(await t.request('PUT', '/api/stories/s/source', { body: { source: V2 } }), 401, 'unauthorized');
    expectError(await t.request('GET', '/api/stories/s/versions', { token: 'bad' }), 401, 'unauthorized');
    expectError(await t.request('POST', '/api/sessions/s/upgrade'), 401, 'unauthorized');
  });

  it('PUT …/source is 400 without exactly one of source and files, or with a blank title', async () => {
    const me = await t.guest();
    const { id } = await story(me);
    for (const body of [{}, { source: V2, files: { 'main.ink': V2 } }, { source: '' }, { source: V2, title: ' ' }, { files: { 'main.ink': 7 } }, '{']) {
      expectError(await me.call('PUT', `/api/stories/${id}/source`, body), 400, 'bad_request');
    }
  });

  it('PUT …/source is 403 forbidden on a story one can see but does not own (a shipped one too)', async () => {
    const owner = await t.guest();
    const { id } = await story(owner, 'public');
    const other = await t.guest();
    expectError(await other.call('PUT', `/api/stories/${id}/source`, { source: V2 }), 403, 'forbidden');
    expectError(await other.call('PUT', `/api/stories/${await t.storyId()}/source`, { source: V2 }), 403, 'forbidden');
  });

  it('PUT …/source and GET …/versions are 404 story_not_found for an unknown story and someone else’s private one', async () => {
    const owner = await t.guest();
    const { id } = await story(owner);
    const other = await t.guest();
    for (const storyId of [id, '00000000-0000-0000-0000-000000000000']) {
      expectError(await other.call('PUT', `/api/stories/${storyId}/source`, { source: V2 }), 404, 'story_not_found');
      expectError(await other.call('GET', `/api/stories/${storyId}/versions`), 404, 'story_not_found');
    }
  });

  it('PUT …/source is 413 for a source over MAX_INK_SOURCE_BYTES and for a body over the upload limit', async () => {
    const me = await t.guest();
    const { id } = await story(me);
    expectError(await me.call('PUT', `/api/stories/${id}/source`, { source: 'x'.repeat(3000) }), 413, 'payload_too_large');
    expectError(await me.call('PUT', `/api/stories/${id}/source`, { files: { 'main.ink': 'x'.repeat(1500), 'b.ink': 'y'.repeat(1500) } }), 413, 'payload_too_large');
    expectError(await me.call('PUT', `/api/stories/${id}/source`, { source: 'x'.repeat(10_000) }), 413, 'payload_too_large');
  });

  it('PUT …/source is 422 for compile errors and for an EXTERNAL without a fallback; the story keeps its version', async () => {
    const me = await t.guest();
    const v1 = await story(me);
    const broken = await me.call('PUT', `/api/stories/${v1.id}/source`, { source: 'Hello\n-> nowhere\n' });
    expectError(broken, 422, 'ink_compile_error');
    expect(broken.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ line: expect.any(Number), message: expect.any(String) })]));
    const unbound = await me.call('PUT', `/api/stories/${v1.id}/source`, { source: 'EXTERNAL roll(sides)\n~ temp r = roll(6)\nRolled.\n+ [Ok] -> END\n' });
    expectError(unbound, 422, 'ink_unbound_external');
    expect(unbound.body.error.details).toEqual([expect.objectContaining({ function: 'roll', line: expect.any(Number) })]);
    expect((await me.call('GET', `/api/stories/${v1.id}`)).body.version).toBe(v1.version);
  });

  it('PUT …/source is 429 rate_limited over the upload rate: a new version compiles like an upload', async () => {
    const call = t.withDeps({ security: { ...t.deps.security, uploadsPerHour: 2 } });
    const me = await t.guest();
    const { id } = await story(me);
    expect((await call('PUT', `/api/stories/${id}/source`, { token: me.token, body: { source: V2 } })).status).toBe(200);
    const res = await call('PUT', `/api/stories/${id}/source`, { token: me.token, body: { source: V1 } });
    expectError(res, 429, 'rate_limited');
    expect(res.body.error.details).toMatchObject({ scope: 'user', limit: 2 });
  });

  it('GET …/versions is 400 for an id over 100 characters', async () => {
    expectError(await (await t.guest()).call('GET', `/api/stories/${'s'.repeat(101)}/versions`), 400, 'bad_request');
  });

  it('POST …/upgrade is 400 for a malformed body and for a version older than the session plays', async () => {
    const me = await t.guest();
    const v1 = await story(me);
    const sessionId = await sessionOn(me, v1.id);
    await me.call('PUT', `/api/stories/${v1.id}/source`, { source: V2 });
    for (const body of [{ version: 0 }, { version: 1.5 }, { version: 'latest' }, '{']) {
      expectError(await me.call('POST', `/api/sessions/${sessionId}/upgrade`, body), 400, 'bad_request');
    }
    expect((await me.call('POST', `/api/sessions/${sessionId}/upgrade`)).status).toBe(200);
    expectError(await me.call('POST', `/api/sessions/${sessionId}/upgrade`, { version: 1 }), 400, 'bad_request');
  });

  it('POST …/upgrade is 404 for an unknown session, someone else’s (session_not_found), and a version the story lacks (not_found)', async () => {
    const owner = await t.guest();
    const { id } = await story(owner);
    const sessionId = await sessionOn(owner, id);
    const other = await t.guest();
    expectError(await other.call('POST', `/api/sessions/${sessionId}/upgrade`), 404, 'session_not_found');
    expectError(await other.call('POST', '/api/sessions/no-such-session/upgrade'), 404, 'session_not_found');
    expectError(await owner.call('POST', `/api/sessions/${sessionId}/upgrade`, { version: 99 }), 404, 'not_found');
  });

  it('POST …/upgrade is 409 upgrade_incompatible, naming what is missing, and changes nothing', async () => {
    const me = await t.guest();
    const v1 = await story(me);
    const sessionId = await sessionOn(me, v1.id);
    await me.call('PUT', `/api/stories/${v1.id}/source`, { source: WITHOUT_HALL });
    const res = await me.call('POST', `/api/sessions/${sessionId}/upgrade`);
    expectError(res, 409, 'upgrade_incompatible');
    expect(res.body.error.details).toMatchObject({ missing_paths: expect.arrayContaining([expect.stringContaining('hall')]) });
    expect((await me.call('GET', `/api/sessions/${sessionId}`)).body.story_version).toBe(v1.version);
  });

  it('POST …/upgrade is 409 turn_in_progress while a turn is in flight', async () => {
    const me = await t.guest();
    const v1 = await story(me);
    const sessionId = await sessionOn(me, v1.id);
    await me.call('PUT', `/api/stories/${v1.id}/source`, { source: V2 });
    const running = await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I wait' });
    expect(running.status).toBe(202);
    expectError(await me.call('POST', `/api/sessions/${sessionId}/upgrade`), 409, 'turn_in_progress');
    await t.waitForTask(me, running.body.task_id);
  });

  it('POST …/upgrade is 413 for a body over MAX_BODY_BYTES', async () => {
    expectError(await (await t.guest()).call('POST', '/api/sessions/s/upgrade', { version: 2, pad: 'x'.repeat(t.env.MAX_BODY_BYTES) }), 413, 'payload_too_large');
  });
});
