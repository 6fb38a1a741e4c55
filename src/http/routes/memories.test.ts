import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const MEMORY = { id: expect.any(String), session_id: expect.any(String), turn_no: expect.any(Number), kind: expect.any(String), text: expect.any(String), importance: expect.any(Number), pinned: expect.any(Boolean) };

async function withMemory(): Promise<{ me: User; sessionId: string; memoryId: string }> {
  const me = await t.guest();
  const sessionId = await t.newSession(me);
  const added = await me.call('POST', `/api/sessions/${sessionId}/memories`, { text: 'The guard is afraid of the dark' });
  expect(added.status).toBe(201);
  return { me, sessionId, memoryId: added.body.id };
}

describe('happy path', () => {
  it('a turn writes memories; GET …/memories lists them oldest first, by kind, and the newest `limit`', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    await t.play(me, sessionId, 'I light the old brass lamp');
    const res = await me.call('GET', `/api/sessions/${sessionId}/memories`);
    expect(res.status).toBe(200);
    expect(res.body.memories.length).toBeGreaterThan(0);
    for (const m of res.body.memories) expect(m).toEqual({ ...MEMORY, session_id: sessionId });
    const kind = res.body.memories[0].kind;
    const ofKind = res.body.memories.filter((m: { kind: string }) => m.kind === kind);
    expect((await me.call('GET', `/api/sessions/${sessionId}/memories?kind=${kind}`)).body.memories).toEqual(ofKind);
    expect((await me.call('GET', `/api/sessions/${sessionId}/memories?kind=${kind}&limit=1`)).body.memories).toEqual(ofKind.slice(-1));
  });

  it('POST …/memories adds a fact at the current turn, with defaults', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const res = await me.call('POST', `/api/sessions/${sessionId}/memories`, { text: '  The guard is afraid of the dark  ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), memory: { id: res.body.id, session_id: sessionId, turn_no: 0, kind: 'fact', text: 'The guard is afraid of the dark', importance: 5, pinned: false } });
    const pinned = await me.call('POST', `/api/sessions/${sessionId}/memories`, { text: 'Ada owes the guard money', importance: 9, kind: 'event', pinned: true });
    expect(pinned.body.memory).toMatchObject({ kind: 'event', importance: 9, pinned: true });
    expect((await me.call('GET', `/api/sessions/${sessionId}/memories`)).body.memories.map((m: { id: string }) => m.id)).toEqual([res.body.id, pinned.body.id]);
  });

  it('GET …/memories?q= ranks by similarity, with a score', async () => {
    const { me, sessionId } = await withMemory();
    await me.call('POST', `/api/sessions/${sessionId}/memories`, { text: 'Gold coins are hidden under the third stone' });
    const res = await me.call('GET', `/api/sessions/${sessionId}/memories?q=${encodeURIComponent('gold coins hidden')}`);
    expect(res.status).toBe(200);
    expect(res.body.memories[0]).toMatchObject({ text: 'Gold coins are hidden under the third stone', score: expect.any(Number) });
  });

  it('PATCH …/memories/:memoryId edits it; PUT and DELETE …/pin pin and unpin it', async () => {
    const { me, sessionId, memoryId } = await withMemory();
    const edited = await me.call('PATCH', `/api/sessions/${sessionId}/memories/${memoryId}`, { text: 'The guard fears the dark', importance: 8 });
    expect(edited.status).toBe(200);
    expect(edited.body.memory).toMatchObject({ id: memoryId, text: 'The guard fears the dark', importance: 8, kind: 'fact', pinned: false });
    const pinned = await me.call('PUT', `/api/sessions/${sessionId}/memories/${memoryId}/pin`);
    expect(pinned.status).toBe(200);
    expect(pinned.body.memory).toMatchObject({ id: memoryId, pinned: true });
    const unpinned = await me.call('DELETE', `/api/sessions/${sessionId}/memories/${memoryId}/pin`);
    expect(unpinned.status).toBe(200);
    expect(unpinned.body.memory).toMatchObject({ id: memoryId, pinned: false });
  });

  it('DELETE …/memories/:memoryId removes it', async () => {
    const { me, sessionId, memoryId } = await withMemory();
    const res = await me.call('DELETE', `/api/sessions/${sessionId}/memories/${memoryId}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await me.call('GET', `/api/sessions/${sessionId}/memories`)).body.memories).toEqual([]);
  });

  it('DELETE /api/sessions/:id deletes the session with its turns and memories', async () => {
    const { me, sessionId } = await withMemory();
    const res = await me.call('DELETE', `/api/sessions/${sessionId}`);
    expect(res.status).toBe(204);
    expectError(await me.call('GET', `/api/sessions/${sessionId}`), 404, 'session_not_found');
    expectError(await me.call('GET', `/api/sessions/${sessionId}/memories`), 404, 'session_not_found');
  });
});

describe('errors', () => {
  it('every memory route is 401 without a valid token', async () => {
    const { sessionId, memoryId } = await withMemory();
    const base = `/api/sessions/${sessionId}/memories`;
    for (const [method, path] of [['GET', base], ['POST', base], ['PATCH', `${base}/${memoryId}`], ['PUT', `${base}/${memoryId}/pin`], ['DELETE', `${base}/${memoryId}/pin`], ['DELETE', `${base}/${memoryId}`], ['DELETE', `/api/sessions/${sessionId}`]] as const) {
      expectError(await t.request(method, path, method === 'POST' || method === 'PATCH' ? { body: { text: 'x' } } : {}), 401, 'unauthorized');
    }
  });

  it('every memory route is 404 session_not_found for someone else’s session, which keeps its memory', async () => {
    const { me, sessionId, memoryId } = await withMemory();
    const other = await t.guest();
    const base = `/api/sessions/${sessionId}/memories`;
    expectError(await other.call('GET', base), 404, 'session_not_found');
    expectError(await other.call('POST', base, { text: 'mine now' }), 404, 'session_not_found');
    expectError(await other.call('PATCH', `${base}/${memoryId}`, { text: 'mine now' }), 404, 'session_not_found');
    expectError(await other.call('PUT', `${base}/${memoryId}/pin`), 404, 'session_not_found');
    expectError(await other.call('DELETE', `${base}/${memoryId}/pin`), 404, 'session_not_found');
    expectError(await other.call('DELETE', `${base}/${memoryId}`), 404, 'session_not_found');
    expectError(await other.call('DELETE', `/api/sessions/${sessionId}`), 404, 'session_not_found');
    expect((await me.call('GET', base)).body.memories).toEqual([expect.objectContaining({ id: memoryId, text: 'The guard is afraid of the dark', pinned: false })]);
  });

  it('the memory routes are 404 not_found for an unknown memory, and for one of another session', async () => {
    const { me, sessionId } = await withMemory();
    const { memoryId: elsewhere } = await withMemory();
    const mine = await t.newSession(me);
    const { body } = await me.call('POST', `/api/sessions/${mine}/memories`, { text: 'In my other session' });
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', elsewhere, body.id]) {
      const base = `/api/sessions/${sessionId}/memories/${id}`;
      expectError(await me.call('PATCH', base, { importance: 2 }), 404, 'not_found');
      expectError(await me.call('PUT', `${base}/pin`), 404, 'not_found');
      expectError(await me.call('DELETE', `${base}/pin`), 404, 'not_found');
      expectError(await me.call('DELETE', base), 404, 'not_found');
    }
    expectError(await me.call('DELETE', '/api/sessions/no-such-session'), 404, 'session_not_found');
  });

  it('POST and PATCH are 400 for a malformed body or an empty text', async () => {
    const { me, sessionId, memoryId } = await withMemory();
    const base = `/api/sessions/${sessionId}/memories`;
    for (const body of [{}, { text: 7 }, { text: 'x', importance: 0 }, { text: 'x', importance: 11 }, { text: 'x', importance: 2.5 }, { text: 'x', kind: 'dream' }, { text: 'x', pinned: 'yes' }, { text: '  ' }, '{']) {
      expectError(await me.call('POST', base, body), 400, 'bad_request');
    }
    expectError(await me.call('PATCH', `${base}/${memoryId}`, { importance: 99 }), 400, 'bad_request');
    expectError(await me.call('PATCH', `${base}/${memoryId}`, { text: '' }), 400, 'bad_request');
  });

  it('GET …/memories is 400 for a bad query', async () => {
    const { me, sessionId } = await withMemory();
    for (const query of ['limit=0', 'limit=1001', 'limit=x', 'kind=dream']) {
      expectError(await me.call('GET', `/api/sessions/${sessionId}/memories?${query}`), 400, 'bad_request');
    }
  });

  it('POST and PATCH are 413 for a text over 2,000 characters (naming the field) and for a body over MAX_BODY_BYTES', async () => {
    const { me, sessionId, memoryId } = await withMemory();
    const base = `/api/sessions/${sessionId}/memories`;
    const long = await me.call('POST', base, { text: 'x'.repeat(2001) });
    expectError(long, 413, 'payload_too_large');
    expect(long.body.error.details).toEqual([expect.objectContaining({ path: 'text' })]);
    expectError(await me.call('PATCH', `${base}/${memoryId}`, { text: 'x'.repeat(2001) }), 413, 'payload_too_large');
    expectError(await me.call('POST', base, { text: 'x'.repeat(t.env.MAX_BODY_BYTES) }), 413, 'payload_too_large');
  });

  it('POST …/memories is 409 turn_conflict for a second summary of the same turn', async () => {
    const { me, sessionId } = await withMemory();
    expect((await me.call('POST', `/api/sessions/${sessionId}/memories`, { text: 'So far: a hall', kind: 'summary' })).status).toBe(201);
    expectError(await me.call('POST', `/api/sessions/${sessionId}/memories`, { text: 'So far: still a hall', kind: 'summary' }), 409, 'turn_conflict');
  });

  it('the id params are 400 over 100 characters', async () => {
    const { me, sessionId } = await withMemory();
    expectError(await me.call('PATCH', `/api/sessions/${sessionId}/memories/${'m'.repeat(101)}`, { importance: 2 }), 400, 'bad_request');
    expectError(await me.call('DELETE', `/api/sessions/${'s'.repeat(101)}`), 400, 'bad_request');
  });
});
