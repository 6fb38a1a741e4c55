/**
 * The production shape on one machine: nginx → 2 web servers, 3 workers, Redis, PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { api, openEvents, type ApiEvent } from '../support/clients.js';
import { clusterForTests } from '../support/cluster.js';
import { eventually } from '../support/test-env.js';

const PLAYERS = 50;
const TURNS = 5;

describe('distributed mode through nginx', () => {
  const { cluster, newPlayer } = clusterForTests({ webs: 2, workers: 3, env: { OFFLINE_CHUNK_DELAY_MS: '10' } });

  it(`${PLAYERS} players × ${TURNS} turns over WebSocket: every turn completes once, transcripts gapless`, async () => {
    const players = await Promise.all(Array.from({ length: PLAYERS }, () => newPlayer()));
    const inputs = ['hum a tune', 'look at the walls', 'light the old brass lamp', 'wait quietly', 'count my coins'];
    await Promise.all(
      players.map(async (p) => {
        const ws = await openEvents(p.wsBase);
        for (let t = 1; t <= TURNS; t++) {
          const res = await p.call('POST', '/api/story/action', { session_id: p.sessionId, user_input: inputs[t - 1] });
          expect(res.status).toBe(202);
          await ws.until((e) => e.type === 'turn.completed' && e.turn_no === t, 60_000);
        }
        ws.close();
        const completed = ws.events.filter((e) => e.type === 'turn.completed').map((e) => e.turn_no);
        expect(completed).toEqual([1, 2, 3, 4, 5]);
        const turns = (await p.call('GET', `/api/sessions/${p.sessionId}/turns`)).body.turns.map((t: { turn_no: number }) => t.turn_no);
        expect(turns).toEqual([0, 1, 2, 3, 4, 5]);
      }),
    );
    // Both web servers and all workers took part.
    for (const w of cluster.workers) expect(w.log()).toContain('turn completed');
  }, 180_000);

  it('a worker killed mid-narration: another finishes the turn, the client sees retrying then completed, one row', async () => {
    const REPEATS = 6;
    for (let i = 0; i < REPEATS; i++) {
      const p = await newPlayer();
      const ws = await openEvents(p.wsBase);
      const accepted = await p.call('POST', '/api/story/action', { session_id: p.sessionId, user_input: 'I light the old brass lamp and look around the hall' });
      const taskId = accepted.body.task_id as string;
      await ws.until((e) => e.type === 'narration.delta');
      const victim = await eventually(() => cluster.workers.find((w) => w.log().includes(taskId)), 5000, 'the worker running the task');
      victim.child.kill('SIGKILL');
      await victim.exited;
      const replacement = cluster.addWorker(`worker-r${i}`);
      const retrying = await ws.until((e) => e.type === 'turn.retrying', 30_000);
      expect((retrying.error as { code: string }).code).toBe('worker_lost');
      const completed = await ws.until((e) => e.type === 'turn.completed' && e.id > retrying.id, 30_000);
      expect(completed.turn_no).toBe(1);
      ws.close();
      await replacement;
      const turns = (await p.call('GET', `/api/sessions/${p.sessionId}/turns`)).body.turns;
      expect(turns.map((t: { turn_no: number }) => t.turn_no)).toEqual([0, 1]);
      expect(turns.filter((t: { task_id: string }) => t.task_id === taskId)).toHaveLength(1);
      const status = await p.call('GET', `/api/story/status/${taskId}`);
      expect(status.body.status).toBe('completed');
    }
  }, 240_000);

  it('serves Bull Board at /admin/queues to the admin only', async () => {
    const anonymous = await api(cluster.url)('GET', '/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const player = await api(cluster.url)('POST', '/api/auth/guest');
    // A valid player token is authenticated but not an admin.
    expect((await api(cluster.url, player.body.token)('GET', '/admin/queues')).status).toBe(403);
    const admin = api(cluster.url, 'cluster-admin-token-0123456789');
    const page = await fetch(`${cluster.url}/admin/queues`, { headers: { authorization: 'Bearer cluster-admin-token-0123456789' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const queues = await admin('GET', '/admin/queues/api/queues');
    expect(queues.status).toBe(200);
    expect(JSON.stringify(queues.body)).toContain('turns');
    // A browser opens it once with ?token= and then rides on the cookie.
    const viaQuery = await fetch(`${cluster.url}/admin/queues?token=cluster-admin-token-0123456789`);
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.headers.get('set-cookie')).toMatch(/md_admin=.*HttpOnly/i);
  });

  it('web failover: the client reconnects through nginx to the other server with since and misses nothing', async () => {
    const p = await newPlayer();
    const first = await openEvents(p.wsBase);
    const instance = first.headers['x-instance'] as string;
    const victimPid = Number(instance.split(':').at(-1));
    const victim = cluster.webs.find((w) => w.child.pid === victimPid)!;
    expect(victim).toBeDefined();
    await p.call('POST', '/api/story/action', { session_id: p.sessionId, user_input: 'I light the old brass lamp and look around the hall' });
    await first.until((e) => e.type === 'narration.delta');
    victim.child.kill('SIGKILL');
    await first.closed;
    const seen: ApiEvent[] = [...first.events];
    const lastId = seen.at(-1)!.id;
    const second = await eventually(() => openEvents(`${p.wsBase}&since=${lastId}`).catch(() => undefined), 10_000, 'reconnect');
    expect(second.headers['x-instance']).not.toBe(instance);
    await second.until((e) => e.type === 'turn.completed', 30_000);
    const all = [...seen, ...second.events];
    // Ids from one session are consecutive integers: any gap would be a lost event.
    for (let i = 1; i < all.length; i++) expect(all[i]!.id).toBe(all[i - 1]!.id + 1);
    expect(all.map((e) => e.type)).toContain('turn.completed');
    second.close();
  }, 60_000);
});
