/**
 * A shared session over Redis and PostgreSQL with two web servers: a player invited on one server
 * watches on the other, is online while their WebSocket is open (presence counted in Redis), sees
 * the owner's turn and acts themself, and is cut off at once when the owner removes them. A
 * spectator's action is refused and changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents } from '../support/clients.js';
import { TEST_REDIS_URL } from '../support/cluster.js';
import { dbTargets, eventually } from '../support/test-env.js';

describe('shared sessions across web servers (Redis + PostgreSQL)', () => {
  const postgres = dbTargets().find((t) => t.name === 'postgres')!;
  let first: RunningServer;
  let second: RunningServer;
  let storyId: string;

  beforeAll(async () => {
    const env = postgres.env({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `mdss:${randomBytes(4).toString('hex')}`,
      STORIES_DIR: 'tests/fixtures',
      JWT_SECRET: 'shared-session-secret-shared-session-secret',
    });
    // One after the other: both install the shipped stories into the same database.
    first = await startServer(env, silentLogger(), 'all');
    second = await startServer(env, silentLogger(), 'serve');
    const guest = (await api(first.url)('POST', '/api/auth/guest')).body.token as string;
    storyId = (await api(first.url, guest)('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  }, 60_000);
  afterAll(async () => {
    await second?.shutdown();
    await first?.shutdown();
    await postgres.cleanup();
  }, 60_000);

  async function user(server: RunningServer) {
    const { token, user_id: userId } = (await api(server.url)('POST', '/api/auth/guest')).body as { token: string; user_id: string };
    return { token, userId, call: api(server.url, token) };
  }
  const done = (call: ReturnType<typeof api>, taskId: string) =>
    eventually(async () => {
      const r = await call('GET', `/api/story/status/${taskId}`);
      return r.body.status === 'completed' ? r.body : undefined;
    }, 20_000);

  it('a player on the other server: online while watching, sees the turns, acts, and is cut off when removed', async () => {
    const owner = await user(first);
    const sessionId = (await owner.call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    const code = (await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'player' })).body.code as string;
    const player = await user(second);
    expect((await player.call('POST', `/api/invites/${code}/join`)).body).toEqual({ session_id: sessionId, role: 'player' });

    const socket = await openEvents(`${second.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${player.token}`);
    // Presence is kept in Redis: the owner's server sees the player online.
    await eventually(async () => {
      const { members } = (await owner.call('GET', `/api/sessions/${sessionId}/members`)).body as { members: { user_id: string; online: boolean }[] };
      return members.find((m) => m.user_id === player.userId)?.online === true ? true : undefined;
    });
    const owned = await owner.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the old brass lamp' });
    await socket.until((e) => e.type === 'turn.completed' && e.task_id === owned.body.task_id, 20_000);
    expect((await player.call('PATCH', `/api/sessions/${sessionId}/members/me`, { display_name: 'Mara' })).status).toBe(200);
    const acted = await player.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I wait by the lamp' });
    expect(acted.status).toBe(202);
    await done(player.call, acted.body.task_id);
    // Each turn records who acted, the events say it, and the narrator reads it.
    const started = await socket.until((e) => e.type === 'turn.started' && e.task_id === acted.body.task_id);
    expect(started).toMatchObject({ user_id: player.userId, display_name: 'Mara' });
    const turns = (await owner.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns as { user_id: string | null }[];
    expect(turns.map((t) => t.user_id)).toEqual([null, owner.userId, player.userId]);
    const playerTrace = JSON.stringify((await owner.call('GET', `/api/sessions/${sessionId}/turns/2/trace`)).body);
    expect(playerTrace).toContain('player=\\"Mara\\"');
    const next = await owner.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I trim the wick' });
    await done(owner.call, next.body.task_id);
    expect(JSON.stringify((await owner.call('GET', `/api/sessions/${sessionId}/turns/3/trace`)).body)).toContain('Mara (do): I wait by the lamp');

    expect((await owner.call('DELETE', `/api/sessions/${sessionId}/members/${player.userId}`)).status).toBe(204);
    expect(await socket.closed).toBe(4004);
    expect((await player.call('GET', `/api/sessions/${sessionId}`)).status).toBe(404);
    const { members } = (await owner.call('GET', `/api/sessions/${sessionId}/members`)).body as { members: { user_id: string }[] };
    expect(members.map((m) => m.user_id)).toEqual([owner.userId]);
  });

  it("a spectator watches the owner's turns but cannot act", async () => {
    const owner = await user(first);
    const sessionId = (await owner.call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    const code = (await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'spectator' })).body.code as string;
    const watcher = await user(second);
    await watcher.call('POST', `/api/invites/${code}/join`);
    const socket = await openEvents(`${second.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${watcher.token}`);
    const refused = await watcher.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I grab the lamp' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('spectator');
    const owned = await owner.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the old brass lamp' });
    const completed = await socket.until((e) => e.type === 'turn.completed' && e.task_id === owned.body.task_id, 20_000);
    expect(completed.turn_no).toBe(1);
    socket.close();
  });
});
