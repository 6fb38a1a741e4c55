/**
 * Story versions through the API, on both databases: the owner replaces the source (version
 * n+1), sessions stay on the version they started on, new ones start on the latest, and a
 * session upgrades with its ink state carried — or is refused, unchanged, when the new version
 * no longer has where it stands. Undo and retry stop at the upgrade.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { dbTargets, eventually } from '../support/test-env.js';
import { signUserToken } from '../support/user-tokens.js';

const SECRET = 'story-versions-secret-story-versions-0123';

const V1 = `VAR trust = 0
~ trust = 2
-> harbour
=== harbour ===
The harbour at dusk.
-> pier
= pier
On the pier.
* [Go to the tower] -> tower
* [Wait] -> pier
=== tower ===
The tower.
-> END
`;
/** The same places, reworded, with a new variable: sessions carry over. */
const V2 = V1.replace('~ trust = 2\n', '').replace('VAR trust = 0', 'VAR trust = 0\nVAR lamps = 7').replace('The harbour at dusk.', 'The harbour, wet with rain.');
/** The pier is gone: a session standing on it cannot carry over. */
const V3 = `VAR trust = 0
-> tower
=== tower ===
Only the tower is left.
-> END
`;

describe.each(dbTargets())('story versions [$name]', (target) => {
  let server: RunningServer;
  let owner: ReturnType<typeof api>;
  let player: ReturnType<typeof api>;

  beforeAll(async () => {
    server = await startServer(target.env({ JWT_SECRET: SECRET, STORIES_DIR: 'tests/fixtures' }), silentLogger());
    owner = api(server.url, (await signUserToken(SECRET)).token);
    player = api(server.url, (await signUserToken(SECRET)).token);
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await target.cleanup();
  });

  const start = async (call: ReturnType<typeof api>, storyId: string) => {
    const res = await call('POST', '/api/sessions', { story_id: storyId });
    expect(res.status).toBe(201);
    return res.body.session_id as string;
  };
  const session = async (call: ReturnType<typeof api>, id: string) => (await call('GET', `/api/sessions/${id}`)).body;
  const playTurn = async (call: ReturnType<typeof api>, id: string) => {
    const accepted = await call('POST', '/api/story/action', { session_id: id, user_input: 'I look at the water' });
    expect(accepted.status).toBe(202);
    const status = await eventually(async () => {
      const s = (await call('GET', `/api/story/status/${accepted.body.task_id}`)).body.status as string;
      return s === 'completed' || s === 'failed' ? s : undefined;
    }, 20_000, 'the turn to finish');
    expect(status).toBe('completed');
  };

  it('a new source is the next version; sessions keep theirs, new ones start on the latest, and an upgrade carries the state', async () => {
    const story = (await owner('POST', '/api/stories', { title: 'Harbour', source: V1, visibility: 'public' })).body;
    const early = await start(player, story.id);
    await playTurn(player, early);
    const before = await session(player, early);
    expect(before.variables.trust).toBe(2);

    const replaced = await owner('PUT', `/api/stories/${story.id}/source`, { source: V2 });
    expect(replaced.status).toBe(200);
    expect(replaced.body.version).not.toBe(story.version);
    expect(replaced.body.title).toBe('Harbour');
    const late = await start(player, story.id);
    expect((await session(player, late)).story_version).toBe(replaced.body.version);
    expect((await session(player, early)).story_version).toBe(story.version);

    const versions = await player('GET', `/api/stories/${story.id}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body.versions.map((v: { version: number; hash: string; sessions: number }) => [v.version, v.hash, v.sessions])).toEqual([
      [1, story.version, 1],
      [2, replaced.body.version, 1],
    ]);

    const upgraded = await player('POST', `/api/sessions/${early}/upgrade`, {});
    expect(upgraded.status).toBe(200);
    expect(upgraded.body).toMatchObject({ story_version: replaced.body.version, turn_no: before.turn_no, choices: before.choices, text: before.text });
    // Variables carried, the new version's new variable at its default.
    expect(upgraded.body.variables).toMatchObject({ trust: 2, lamps: 7 });
    expect((await player('GET', `/api/stories/${story.id}/versions`)).body.versions.map((v: { sessions: number }) => v.sessions)).toEqual([0, 2]);
    // Already there: nothing changes.
    expect((await player('POST', `/api/sessions/${early}/upgrade`, { version: 2 })).body.story_version).toBe(replaced.body.version);

    // Earlier turns were played on the old version: undo and retry stop here; later turns undo as usual.
    const undo = await player('POST', `/api/sessions/${early}/undo`);
    expect(undo.status).toBe(409);
    expect(undo.body.error.code).toBe('nothing_to_undo');
    expect((await player('POST', `/api/sessions/${early}/retry`)).body.error.code).toBe('nothing_to_retry');
    await playTurn(player, early);
    expect((await player('POST', `/api/sessions/${early}/undo`)).status).toBe(200);
    expect((await player('POST', `/api/sessions/${early}/undo`)).status).toBe(409);
  });

  it('refuses an upgrade that cannot carry the state, and leaves the session as it was', async () => {
    const story = (await owner('POST', '/api/stories', { title: 'Pier', source: V1 })).body;
    const id = await start(owner, story.id);
    const before = await session(owner, id);
    expect((await owner('PUT', `/api/stories/${story.id}/source`, { source: V3 })).status).toBe(200);
    const refused = await owner('POST', `/api/sessions/${id}/upgrade`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('upgrade_incompatible');
    expect(refused.body.error.details.missing_paths.some((p: string) => p.startsWith('harbour.pier'))).toBe(true);
    expect(await session(owner, id)).toEqual(before);
  });

  it('refuses what is not an upgrade: an unknown or older version, someone else’s session or story', async () => {
    const story = (await owner('POST', '/api/stories', { title: 'Refusals', source: V1, visibility: 'public' })).body;
    const id = await start(owner, story.id);
    expect((await owner('POST', `/api/sessions/${id}/upgrade`, { version: 9 })).status).toBe(404);
    expect((await player('POST', `/api/sessions/${id}/upgrade`)).status).toBe(404);
    expect((await player('PUT', `/api/stories/${story.id}/source`, { source: V2 })).status).toBe(403);
    const privateStory = (await owner('POST', '/api/stories', { title: 'Mine', source: V1 })).body;
    expect((await player('PUT', `/api/stories/${privateStory.id}/source`, { source: V2 })).status).toBe(404);
    expect((await player('GET', `/api/stories/${privateStory.id}/versions`)).status).toBe(404);
    expect((await owner('PUT', `/api/stories/${story.id}/source`, { source: 'Broken {oops\n' })).body.error.code).toBe('ink_compile_error');
    expect((await owner('PUT', `/api/stories/${story.id}/source`, {})).status).toBe(400);

    expect((await owner('PUT', `/api/stories/${story.id}/source`, { source: V2 })).status).toBe(200);
    const onLatest = await start(owner, story.id);
    const older = await owner('POST', `/api/sessions/${onLatest}/upgrade`, { version: 1 });
    expect(older.status).toBe(400);
  });
});
