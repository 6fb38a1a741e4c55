/**
 * A shared session on the production shape: 2 web servers and 2 workers on Redis and PostgreSQL.
 * Three players, each on a different web server (two on the first, one on the second), act at
 * once: every action becomes exactly one committed turn, in the line's order, attributed to its
 * player. Then a worker is killed in the middle of the first turn of a second round: the other
 * worker finishes it and every action still waiting in line is played, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, openEvents } from '../support/clients.js';
import { Cluster } from '../support/cluster.js';
import { eventually } from '../support/test-env.js';

describe('a shared session across 2 web servers and 2 workers', () => {
  const cluster = new Cluster({ webs: 2, workers: 2, env: { OFFLINE_LATENCY_MS: '400', OFFLINE_CHUNK_DELAY_MS: '20' } });
  let storyId: string;

  beforeAll(async () => {
    await cluster.start();
    const guest = await api(cluster.url)('POST', '/api/auth/guest');
    storyId = (await api(cluster.url, guest.body.token)('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  }, 120_000);
  afterAll(async () => cluster.stop(), 60_000);

  const webUrl = (i: number) => `http://127.0.0.1:${cluster.webs[i % cluster.webs.length]!.port}`;

  async function person(web: number) {
    const { token, user_id: userId } = (await api(webUrl(web))('POST', '/api/auth/guest')).body as { token: string; user_id: string };
    return { token, userId, call: api(webUrl(web), token) };
  }

  it('three players on different servers at once, twice, with a worker killed mid-turn: one turn per action, in line order', async () => {
    const owner = await person(0);
    const sessionId = (await owner.call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    const code = (await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'player' })).body.code as string;
    const players = [owner, await person(1), await person(0)];
    for (const p of players.slice(1)) expect((await p.call('POST', `/api/invites/${code}/join`)).status).toBe(200);
    const watcher = await openEvents(`${webUrl(1).replace('http', 'ws')}/ws/story/${sessionId}?token=${owner.token}`);
    const byTask = new Map<string, string>();

    const round = async (words: string) => {
      const sent = await Promise.all(players.map((p, i) => p.call('POST', '/api/story/action', { session_id: sessionId, user_input: `${words} ${i}` })));
      expect(sent.map((r) => r.status)).toEqual([202, 202, 202]);
      sent.forEach((r, i) => byTask.set(r.body.task_id, players[i]!.userId));
      expect(sent.filter((r) => r.body.status === 'processing')).toHaveLength(1);
      return [...sent].sort((a, b) => (a.body.position ?? 0) - (b.body.position ?? 0)).map((r) => r.body.task_id as string);
    };
    const completed = () => watcher.events.filter((e) => e.type === 'turn.completed').map((e) => e.task_id);

    const first = await round('first');
    await eventually(() => (completed().length === 3 ? true : undefined), 30_000, 'the first round');

    const second = await round('second');
    await watcher.until((e) => e.type === 'narration.delta' && e.task_id === second[0]);
    const victim = await eventually(() => cluster.workers.find((w) => w.log().includes(second[0]!)), 5000, 'the worker running the turn');
    victim.child.kill('SIGKILL');
    await victim.exited;
    await eventually(() => (completed().length === 6 ? true : undefined), 60_000, 'the second round after the kill');
    watcher.close();

    const expected = [...first, ...second];
    expect(completed()).toEqual(expected);
    const turns = (await owner.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns as { turn_no: number; task_id: string; user_id: string }[];
    expect(turns.map((t) => t.turn_no)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(turns.slice(1).map((t) => t.task_id)).toEqual(expected);
    expect(turns.slice(1).map((t) => t.user_id)).toEqual(expected.map((id) => byTask.get(id)));
    for (const id of expected) expect((await owner.call('GET', `/api/story/status/${id}`)).body.status).toBe('completed');
  }, 180_000);
});
