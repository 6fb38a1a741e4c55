import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';
import { playedSession } from './__fixtures__/played-session.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ SESSION_IMPORT_MAX_BYTES: '200000' });
});
afterAll(() => t?.close());

const withoutExportTime = (doc: Record<string, unknown>) => ({ ...doc, exported_at: undefined });

describe('export and import', () => {
  it('export → import → export gives the same document apart from exported_at; the copy is a new session of the importer', async () => {
    const me = await t.guest();
    const sessionId = await playedSession(t, me);
    // The player's steering and an edited passage travel too.
    await me.call('PATCH', `/api/sessions/${sessionId}`, { author_note: 'Keep it grey.', persona: { name: 'Ada', description: 'a diver' } });
    await me.call('PATCH', `/api/sessions/${sessionId}/turns/1`, { narration: 'The lamp *gutters*.' });
    const first = await me.call('GET', `/api/sessions/${sessionId}/export`);
    expect(first.status).toBe(200);
    expect(first.body.session.steering).toEqual({ author_note: 'Keep it grey.', persona: { name: 'Ada', description: 'a diver' } });
    expect(first.body.turns[1]).toMatchObject({ response: 'The lamp *gutters*.', original_response: expect.any(String) });
    expect(first.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.session\.json"$/);
    expect(first.body).toMatchObject({ format: 'mock-drama.session', version: 1, story: { id: await t.storyId(), version_no: 1 }, session: { turn_no: 1 } });
    expect(first.body.turns.map((x: { turn_no: number; state: string }) => `${x.turn_no}:${x.state}`)).toEqual(['0:active', '1:active', '2:replaced', '2:undone']);
    expect(first.body.memories.some((m: { text: string }) => m.text === 'The keeper hid the logbook.')).toBe(true);
    expect(first.body.cards).toEqual([{ name: 'Mara', keywords: ['Mara'], text: "The keeper's daughter.", when: null }]);

    const other = await t.guest();
    const imported = await other.call('POST', '/api/sessions/import', first.body);
    expect(imported.status).toBe(201);
    expect(imported.body.session).toMatchObject({ turn_no: 1, redo_available: true, author_note: 'Keep it grey.', persona: { name: 'Ada', description: 'a diver' } });
    const second = await other.call('GET', `/api/sessions/${imported.body.session_id}/export`);
    expect(withoutExportTime(second.body)).toEqual(withoutExportTime(first.body));
    // The copy plays on: redo the undone turn.
    expect((await other.call('POST', `/api/sessions/${imported.body.session_id}/redo`)).body.turn_no).toBe(2);
  });

  it('?format=markdown is a transcript download; ?include=source embeds the story', async () => {
    const me = await t.guest();
    const sessionId = await playedSession(t, me);
    const md = await me.call('GET', `/api/sessions/${sessionId}/export?format=markdown`);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(md.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.md"$/);
    expect(md.text).toMatch(/^# .+\n\n## Opening\n/);
    expect(md.text).toContain('I light the old brass lamp');
    expect(md.text).not.toContain('The keeper hid the logbook.');
    const withSource = await me.call('GET', `/api/sessions/${sessionId}/export?include=source`);
    expect(typeof withSource.body.story.source).toBe('string');
  });

  it('someone else’s session: export is 404 session_not_found', async () => {
    const sessionId = await t.newSession(await t.guest());
    const stranger = await t.guest();
    expectError(await stranger.call('GET', `/api/sessions/${sessionId}/export`), 404, 'session_not_found');
    expectError(await stranger.call('GET', `/api/sessions/${sessionId}/export?format=markdown`), 404, 'session_not_found');
  });
});

describe('large documents', () => {
  it('imports more memories than one INSERT takes, in their order', async () => {
    const { documentDigest } = await import('../../domain/session-document.js');
    const me = await t.guest();
    const doc = (await me.call('GET', `/api/sessions/${await playedSession(t, me)}/export`)).body;
    const extra = Array.from({ length: 1200 }, (_, i) => ({ turn_no: 1, kind: 'fact', text: `m${i}`, importance: 3, pinned: false, origin: 'player' }));
    doc.memories = [...doc.memories.filter((m: { turn_no: number }) => m.turn_no <= 1), ...extra, ...doc.memories.filter((m: { turn_no: number }) => m.turn_no > 1)];
    doc.integrity.digest = documentDigest(doc);
    const res = await me.call('POST', '/api/sessions/import', doc);
    expect(res.status).toBe(201);
    const back = (await me.call('GET', `/api/sessions/${res.body.session_id}/export`)).body;
    expect(back.memories).toEqual(doc.memories);
  });
});

describe('refused imports create nothing', () => {
  const sessionCount = async (me: Awaited<ReturnType<TestApp['guest']>>) => (await me.call('GET', '/api/sessions')).body.sessions.length;

  it('a tampered document (edited without its digest) is 422, naming integrity.digest', async () => {
    const me = await t.guest();
    const doc = (await me.call('GET', `/api/sessions/${await playedSession(t, me)}/export`)).body;
    const before = await sessionCount(me);
    doc.turns[1].response = 'Something else entirely.';
    const res = await me.call('POST', '/api/sessions/import', doc);
    expectError(res, 422, 'session_import_invalid');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'integrity.digest' })]);
    expect(await sessionCount(me)).toBe(before);
  });

  it('a broken timeline or an ink state that does not load is 422 even with a recomputed digest', async () => {
    const { documentDigest } = await import('../../domain/session-document.js');
    const me = await t.guest();
    const doc = (await me.call('GET', `/api/sessions/${await playedSession(t, me)}/export`)).body;
    const before = await sessionCount(me);
    const gap = structuredClone(doc);
    gap.turns = gap.turns.filter((x: { turn_no: number }) => x.turn_no !== 0);
    gap.integrity.digest = documentDigest(gap);
    const res = await me.call('POST', '/api/sessions/import', gap);
    expectError(res, 422, 'session_import_invalid');
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: 'turns', message: expect.stringContaining('no active turn 0') }));
    const ink = structuredClone(doc);
    ink.turns[3].ink_state = '{"not":"an ink state"}';
    ink.integrity.digest = documentDigest(ink);
    const res2 = await me.call('POST', '/api/sessions/import', ink);
    expectError(res2, 422, 'session_import_invalid');
    expect(res2.body.error.details).toEqual([{ path: 'turns.3.ink_state', message: 'does not load in the story version' }]);
    expect(await sessionCount(me)).toBe(before);
  });

  it('malformed: not JSON is 400; the wrong shape is 422 naming the fields', async () => {
    const me = await t.guest();
    expectError(await me.call('POST', '/api/sessions/import', '{"format":'), 400, 'bad_request');
    const res = await me.call('POST', '/api/sessions/import', { format: 'mock-drama.session', version: 2 });
    expectError(res, 422, 'session_import_invalid');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('version');
    expect(await sessionCount(me)).toBe(0);
  });

  it('a story the importer cannot see, without source, is 422 naming story.id', async () => {
    const me = await t.guest();
    const doc = (await me.call('GET', `/api/sessions/${await playedSession(t, me)}/export`)).body;
    const { documentDigest } = await import('../../domain/session-document.js');
    doc.story.id = 'no-such-story';
    doc.integrity.digest = documentDigest(doc);
    const res = await (await t.guest()).call('POST', '/api/sessions/import', doc);
    expectError(res, 422, 'session_import_invalid');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'story.id' })]);
  });

  it('a story a moderator hid takes no imported session (403 story_hidden), as it takes no new one', async () => {
    const me = await t.guest();
    const story = (await me.call('POST', '/api/stories', { title: 'Soon hidden', source: 'Once.\n* [Go] Gone.\n-> END\n' })).body;
    const sessionId = (await me.call('POST', '/api/sessions', { story_id: story.id })).body.session_id;
    const doc = (await me.call('GET', `/api/sessions/${sessionId}/export`)).body;
    expect((await t.request('PUT', `/api/admin/stories/${story.id}/hidden`, { token: ADMIN_TOKEN, body: {} })).status).toBe(200);
    const before = await sessionCount(me);
    expectError(await me.call('POST', '/api/sessions/import', doc), 403, 'story_hidden');
    expect(await sessionCount(me)).toBe(before);
  });

  it('?include=source is 400 for a session on an older version of its story (only the current source is kept)', async () => {
    const me = await t.guest();
    const story = (await me.call('POST', '/api/stories', { title: 'Two versions', source: 'Once.\n* [Go] Gone.\n-> END\n' })).body;
    const sessionId = (await me.call('POST', '/api/sessions', { story_id: story.id })).body.session_id;
    expect((await me.call('PUT', `/api/stories/${story.id}/source`, { source: 'Twice.\n* [Go] Gone.\n-> END\n' })).status).toBe(200);
    expectError(await me.call('GET', `/api/sessions/${sessionId}/export?include=source`), 400, 'bad_request');
    expect((await me.call('GET', `/api/sessions/${sessionId}/export`)).body.story.version_no).toBe(1);
  });

  it('a document over SESSION_IMPORT_MAX_BYTES is 413', async () => {
    const me = await t.guest();
    expectError(await me.call('POST', '/api/sessions/import', { format: 'mock-drama.session', pad: 'x'.repeat(200_001) }), 413, 'payload_too_large');
    expect(await sessionCount(me)).toBe(0);
  });
});
