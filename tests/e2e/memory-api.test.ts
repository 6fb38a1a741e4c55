/** Memories and story cards over HTTP (real server, real sockets): happy paths, ownership and bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { eventually } from '../support/test-env.js';

const ENV = { JWT_SECRET: 'memory-test-secret-memory-test-secret-0123456', LOG_LEVEL: 'silent', DATA_DIR: ':memory:', STORIES_DIR: 'tests/fixtures', PORT: '0' };

describe('memories and cards API', () => {
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let other: ReturnType<typeof api>;
  let storyId: string;

  beforeAll(async () => {
    server = await startServer(loadEnv(ENV), silentLogger());
    const guest = async () => api(server.url, (await api(server.url)('POST', '/api/auth/guest')).body.token);
    call = await guest();
    other = await guest();
    storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'long-watch').id;
  });
  afterAll(async () => {
    await server?.shutdown();
  });
  const newSession = async () => (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;

  it('adds (201 + id), lists, searches, edits, pins and deletes memories', async () => {
    const sid = await newSession();
    const added = await call('POST', `/api/sessions/${sid}/memories`, { text: 'The silver key is under the hearthstone', importance: 8 });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ id: expect.any(String), memory: expect.objectContaining({ text: 'The silver key is under the hearthstone', importance: 8, kind: 'fact', pinned: false, turn_no: 0 }) });
    const id = added.body.id;
    await call('POST', `/api/sessions/${sid}/memories`, { text: 'Gulls circle the tower' });
    expect((await call('GET', `/api/sessions/${sid}/memories`)).body.memories).toHaveLength(2);
    const search = await call('GET', `/api/sessions/${sid}/memories?q=${encodeURIComponent('where is the key')}&limit=1`);
    expect(search.body.memories.map((m: { id: string }) => m.id)).toEqual([id]);
    expect(search.body.memories[0].score).toBeGreaterThan(0);
    const edited = await call('PATCH', `/api/sessions/${sid}/memories/${id}`, { text: 'The silver key is in the well', importance: 9 });
    expect(edited.body.memory).toMatchObject({ text: 'The silver key is in the well', importance: 9 });
    expect((await call('PUT', `/api/sessions/${sid}/memories/${id}/pin`)).body.memory.pinned).toBe(true);
    expect((await call('DELETE', `/api/sessions/${sid}/memories/${id}/pin`)).body.memory.pinned).toBe(false);
    expect((await call('DELETE', `/api/sessions/${sid}/memories/${id}`)).status).toBe(204);
    expect((await call('DELETE', `/api/sessions/${sid}/memories/${id}`)).status).toBe(404);
    expect((await call('GET', `/api/sessions/${sid}/memories`)).body.memories).toHaveLength(1);
  });

  it('a turn records the memories it recalled, with their scores, in its trace', async () => {
    const sid = await newSession();
    await call('POST', `/api/sessions/${sid}/memories`, { text: 'Mara keeps the logbook', pinned: true });
    const task = await call('POST', '/api/story/action', { session_id: sid, user_input: 'I look for the logbook' });
    await eventually(async () => ((await call('GET', `/api/story/status/${task.body.task_id}`)).body.status === 'completed' ? true : undefined));
    const trace = (await call('GET', `/api/sessions/${sid}/turns/1/trace`)).body.trace;
    expect(trace.memories[0]).toMatchObject({ text: 'Mara keeps the logbook', similarity: expect.any(Number), relevance: expect.any(Number), recency: 0.99, score: expect.any(Number) });
    expect(trace.recall.weights).toEqual({ relevance: 1, recency: 1, importance: 1 });
  });

  it('story cards: readable by players, written only by the owner; session cards by the player', async () => {
    const shipped = await call('GET', `/api/stories/${storyId}/cards`);
    expect(shipped.body.ink_cards).toEqual([{ name: 'Mara', keywords: ['Mara', '/light ?keeper/i'], text: expect.stringContaining('logbook'), when: null }]);
    expect((await call('POST', `/api/stories/${storyId}/cards`, { name: 'x', keywords: [], text: 'y' })).status).toBe(403);

    const mine = await call('POST', '/api/stories', { source: 'Hi.\n* [Go] -> END', slug: 'mine', title: 'Mine' });
    expect(mine.status).toBe(201);
    const added = await call('POST', `/api/stories/${mine.body.id}/cards`, { name: 'Tom', keywords: ['Tom', '/keeper/i'], text: 'Old Tom' });
    expect(added.status).toBe(201);
    expect((await other('GET', `/api/stories/${mine.body.id}/cards`)).status).toBe(404);
    expect((await call('PATCH', `/api/stories/${mine.body.id}/cards/${added.body.id}`, { text: 'Old Tom, the keeper' })).body.card.text).toBe('Old Tom, the keeper');
    expect((await call('GET', `/api/stories/${mine.body.id}/cards`)).body.cards).toHaveLength(1);
    expect((await call('DELETE', `/api/stories/${mine.body.id}/cards/${added.body.id}`)).status).toBe(204);

    const sid = await newSession();
    const card = await call('POST', `/api/sessions/${sid}/cards`, { name: 'Harbour', keywords: ['harbour'], text: 'Boats and nets' });
    expect(card.status).toBe(201);
    expect((await call('GET', `/api/sessions/${sid}/cards`)).body.cards.map((c: { name: string }) => c.name)).toEqual(['Harbour']);
    expect((await other('GET', `/api/sessions/${sid}/cards`)).status).toBe(404);
  });

  it('bad input: empty text 400, too long 413, 10 MB body 413, wrong or foreign session 404', async () => {
    const sid = await newSession();
    const empty = await call('POST', `/api/sessions/${sid}/memories`, { text: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'bad_request', details: [{ path: 'text' }] });
    expect((await call('POST', `/api/sessions/${sid}/memories`, {})).status).toBe(400);
    expect((await call('POST', `/api/sessions/${sid}/memories`, { text: 'x', importance: 11 })).status).toBe(400);
    const long = await call('POST', `/api/sessions/${sid}/memories`, { text: 'x'.repeat(2001) });
    expect(long.status).toBe(413);
    expect(long.body.error.code).toBe('payload_too_large');
    const huge = await call('POST', `/api/sessions/${sid}/memories`, { text: 'x'.repeat(10 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await call('POST', '/api/sessions/no-such-session/memories', { text: 'hi' })).status).toBe(404);
    expect((await other('POST', `/api/sessions/${sid}/memories`, { text: 'hi' })).status).toBe(404);
    expect((await other('GET', `/api/sessions/${sid}/memories`)).status).toBe(404);
    expect((await call('PATCH', `/api/sessions/${sid}/memories/nope`, { pinned: true })).status).toBe(404);
    expect((await call('POST', `/api/sessions/${sid}/cards`, { name: '', keywords: [], text: 't' })).status).toBe(400);
  });

  it('deleting a session (204) deletes its memories; it is then unknown', async () => {
    const sid = await newSession();
    await call('POST', `/api/sessions/${sid}/memories`, { text: 'to be forgotten' });
    expect((await other('DELETE', `/api/sessions/${sid}`)).status).toBe(404);
    expect((await call('DELETE', `/api/sessions/${sid}`)).status).toBe(204);
    expect((await call('GET', `/api/sessions/${sid}`)).status).toBe(404);
    expect((await call('GET', `/api/sessions/${sid}/memories`)).status).toBe(404);
    expect(await server.runtime.deps.store.memories.list(sid)).toEqual([]);
  });
});
