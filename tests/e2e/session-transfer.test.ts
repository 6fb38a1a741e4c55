/**
 * Export, import and share through the real HTTP API, on both databases, with the offline models:
 * a session with every kind of take (active, replaced, undone), a memory and a session card goes
 * out and comes back as another player's session that plays on; a private story travels as its
 * source; an oversized document is refused with the connection still usable; a shared link is
 * read without a token and is gone once revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentDigest } from '../../src/domain/session-document.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { dbTargets, eventually } from '../support/test-env.js';
import { signUserToken } from '../support/user-tokens.js';

const SECRET = 'session-transfer-secret-session-transfer-0123';
const IMPORT_LIMIT = 400_000;

const HARBOUR = `VAR trust = 0
-> harbour
=== harbour ===
The harbour at dusk.
* [Go to the tower] -> tower
* [Wait] -> harbour
=== tower ===
The tower, and its lamp.
* [Climb] -> top
=== top ===
The top of the tower.
-> END
`;

type Call = ReturnType<typeof api>;
type Doc = Record<string, any>;
const withoutExportTime = (doc: Doc) => ({ ...doc, exported_at: undefined });

describe.each(dbTargets())('session export, import and share [$name]', (target) => {
  let server: RunningServer;
  let alice: Call;
  let bob: Call;

  beforeAll(async () => {
    server = await startServer(target.env({ JWT_SECRET: SECRET, STORIES_DIR: 'tests/fixtures', SESSION_IMPORT_MAX_BYTES: String(IMPORT_LIMIT) }), silentLogger());
    alice = api(server.url, (await signUserToken(SECRET)).token);
    bob = api(server.url, (await signUserToken(SECRET)).token);
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await target.cleanup();
  });

  const waitTask = async (call: Call, taskId: string) => {
    const status = await eventually(async () => {
      const s = (await call('GET', `/api/story/status/${taskId}`)).body.status as string;
      return s === 'completed' || s === 'failed' ? s : undefined;
    }, 20_000, 'the turn to finish');
    expect(status).toBe('completed');
  };
  const play = async (call: Call, sessionId: string, input: string) => {
    const accepted = await call('POST', '/api/story/action', { session_id: sessionId, user_input: input });
    expect(accepted.status).toBe(202);
    await waitTask(call, accepted.body.task_id);
  };
  const start = async (call: Call, storyId: string) => {
    const res = await call('POST', '/api/sessions', { story_id: storyId });
    expect(res.status).toBe(201);
    return res.body.session_id as string;
  };
  const exported = async (call: Call, sessionId: string, query = '') => {
    const res = await call('GET', `/api/sessions/${sessionId}/export${query}`);
    expect(res.status).toBe(200);
    return res.body as Doc;
  };

  it('export → import → export is the same document apart from exported_at, and the imported session plays on', async () => {
    const vault = ((await alice('GET', '/api/stories')).body.stories as { id: string; slug: string }[]).find((s) => s.slug === 'vault')!;
    const id = await start(alice, vault.id);
    await play(alice, id, 'I light the old brass lamp');
    await play(alice, id, 'I climb the stairs');
    const retry = await alice('POST', `/api/sessions/${id}/retry`);
    await waitTask(alice, retry.body.task_id);
    expect((await alice('POST', `/api/sessions/${id}/undo`)).status).toBe(200);
    expect((await alice('POST', `/api/sessions/${id}/memories`, { text: 'The keeper hid the logbook.', pinned: true })).status).toBe(201);
    expect((await alice('POST', `/api/sessions/${id}/cards`, { name: 'Mara', keywords: ['Mara'], text: "The keeper's daughter." })).status).toBe(201);

    const first = await exported(alice, id);
    expect(first.turns.map((t: Doc) => `${t.turn_no}:${t.state}`)).toEqual(['0:active', '1:active', '2:replaced', '2:undone']);
    expect(first.memories).toContainEqual(expect.objectContaining({ text: 'The keeper hid the logbook.', pinned: true, origin: 'player' }));
    const imported = await bob('POST', '/api/sessions/import', first);
    expect(imported.status).toBe(201);
    const copy = imported.body.session_id as string;
    expect(copy).not.toBe(id);
    expect(withoutExportTime(await exported(bob, copy))).toEqual(withoutExportTime(first));
    // Alice cannot see Bob's copy; Bob's copy plays on from where Alice was (the undone take is then discarded).
    expect((await alice('GET', `/api/sessions/${copy}/export`)).status).toBe(404);
    await play(bob, copy, 'I open the logbook');
    const after = await exported(bob, copy);
    expect(after.session.turn_no).toBe(2);
    expect(after.turns.map((t: Doc) => `${t.turn_no}:${t.state}`)).toEqual(['0:active', '1:active', '2:replaced', '2:discarded', '2:active']);
  });

  it('a private story travels as its source and becomes a private story of the importer', async () => {
    const story = (await alice('POST', '/api/stories', { title: 'Harbour', source: HARBOUR })).body;
    const id = await start(alice, story.id);
    await play(alice, id, 'I go to the tower');
    const bare = await exported(alice, id);
    const refused = await bob('POST', '/api/sessions/import', bare);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'story.id' })]);

    const withSource = await exported(alice, id, '?include=source');
    expect(withSource.story.source).toBe(HARBOUR);
    const imported = await bob('POST', '/api/sessions/import', withSource);
    expect(imported.status).toBe(201);
    const copy = imported.body.session_id as string;
    const again = await exported(bob, copy, '?include=source');
    expect(again.story.id).not.toBe(story.id);
    expect(withoutExportTime({ ...again, story: { ...again.story, id: story.id } })).toEqual(withoutExportTime({ ...withSource, integrity: again.integrity }));
    const bobs = (await bob('GET', '/api/stories')).body.stories as { id: string; visibility: string }[];
    expect(bobs.find((s) => s.id === again.story.id)?.visibility).toBe('private');
    await play(bob, copy, 'I climb');
  });

  it('a tampered document creates nothing; an oversized one is 413 and the connection stays usable', async () => {
    const vault = ((await bob('GET', '/api/stories')).body.stories as { id: string; slug: string }[]).find((s) => s.slug === 'vault')!;
    const doc = await exported(bob, await start(bob, vault.id));
    const before = (await bob('GET', '/api/sessions')).body.sessions.length;
    const tampered: Doc = { ...doc, session: { ...doc.session, turn_no: 5 } };
    expect((await bob('POST', '/api/sessions/import', tampered)).status).toBe(422);
    tampered.integrity = { algorithm: 'sha256', digest: documentDigest(tampered as never) };
    const timeline = await bob('POST', '/api/sessions/import', tampered);
    expect(timeline.status).toBe(422);
    expect(timeline.body.error.code).toBe('session_import_invalid');
    expect((await bob('GET', '/api/sessions')).body.sessions.length).toBe(before);

    const huge = JSON.stringify({ ...doc, pad: 'x'.repeat(IMPORT_LIMIT) });
    const token = (await signUserToken(SECRET)).token;
    const refused = await fetch(`${server.url}/api/sessions/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: huge });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as Doc).error.code).toBe('payload_too_large');
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status, `request ${i + 1} after the refusal`).toBe(200);
      await res.arrayBuffer();
    }
    // Under the limit, the same route answers as usual.
    expect((await bob('POST', '/api/sessions/import', doc)).status).toBe(201);
  });

  it('a shared link is read without a token and is gone once revoked', async () => {
    const vault = ((await alice('GET', '/api/stories')).body.stories as { id: string; slug: string }[]).find((s) => s.slug === 'vault')!;
    const id = await start(alice, vault.id);
    await play(alice, id, 'I light the old brass lamp');
    const shared = await alice('POST', `/api/sessions/${id}/share`);
    expect(shared.status).toBe(201);
    expect(shared.body.url).toBe(`${server.url}/s/${shared.body.token}`);
    const anyone = api(server.url);
    const read = await anyone('GET', `/api/shared/${shared.body.token}`);
    expect(read.status).toBe(200);
    expect(read.body.turns.map((t: Doc) => t.input)).toEqual(['', 'I light the old brass lamp']);
    expect(JSON.stringify(read.body)).not.toMatch(/ink_state|memor|trace|owner/);
    expect((await alice('DELETE', `/api/sessions/${id}/share`)).status).toBe(204);
    expect((await anyone('GET', `/api/shared/${shared.body.token}`)).status).toBe(404);
  });
});
