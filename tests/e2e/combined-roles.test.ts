/**
 * The distributed mode with both roles in each process: nginx → 3 × `mock-drama all` on one Redis
 * and PostgreSQL, no separate workers (docs/capacity.md: one `all` per core is the cheaper shape
 * where web servers and workers share a few cores). Each process serves players and takes turns
 * from the shared queue, so a turn may run on another process than the one that accepted it.
 */
import { describe, expect, it } from 'vitest';
import { openEvents, type ApiEvent } from '../support/clients.js';
import { clusterForTests, type Proc } from '../support/cluster.js';
import { eventually } from '../support/test-env.js';

const PLAYERS = 20;
const TURNS = 4;

/** The tasks `proc` started running, read once from its log (its worker side logs each turn it starts). */
function startedTasks(proc: Proc): Set<string> {
  const lines = proc.log().split('\n').filter((line) => line.includes('"turn started"'));
  return new Set(lines.map((line) => (JSON.parse(line) as { taskId: string }).taskId));
}

describe('both roles in each process (mock-drama all × 3) through nginx', () => {
  const { cluster, newPlayer } = clusterForTests({ webs: 3, workers: 0, webRole: 'all', env: { OFFLINE_CHUNK_DELAY_MS: '10' } });

  it(`${PLAYERS} players × ${TURNS} turns over WebSocket: every turn completes once, transcripts gapless, every process takes turns`, async () => {
    const players = await Promise.all(Array.from({ length: PLAYERS }, () => newPlayer()));
    const taskIds: string[] = [];
    await Promise.all(
      players.map(async (p) => {
        const ws = await openEvents(p.wsBase);
        for (let t = 1; t <= TURNS; t++) {
          const res = await p.call('POST', '/api/story/action', { session_id: p.sessionId, user_input: `look around, time ${t}` });
          expect(res.status).toBe(202);
          taskIds.push(res.body.task_id as string);
          await ws.until((e) => e.type === 'turn.completed' && e.turn_no === t, 60_000);
        }
        ws.close();
        expect(ws.events.filter((e) => e.type === 'turn.completed').map((e) => e.turn_no)).toEqual([1, 2, 3, 4]);
        const turns = (await p.call('GET', `/api/sessions/${p.sessionId}/turns`)).body.turns.map((t: { turn_no: number }) => t.turn_no);
        expect(turns).toEqual([0, 1, 2, 3, 4]);
      }),
    );
    // Each turn ran once, on some process; and every process ran some.
    const started = cluster.webs.map(startedTasks);
    for (const taskId of taskIds) expect(started.filter((tasks) => tasks.has(taskId))).toHaveLength(1);
    for (const tasks of started) expect(taskIds.some((taskId) => tasks.has(taskId))).toBe(true);
  }, 180_000);

  it('the process running a turn killed mid-narration: another finishes it, the player reconnects through nginx and sees retrying then completed, one row', async () => {
    const p = await newPlayer();
    let ws = await openEvents(p.wsBase);
    const accepted = await p.call('POST', '/api/story/action', { session_id: p.sessionId, user_input: 'I light the old brass lamp and look around the hall' });
    const taskId = accepted.body.task_id as string;
    await ws.until((e) => e.type === 'narration.delta');
    const victim = await eventually(() => cluster.webs.find((w) => startedTasks(w).has(taskId)), 5000, 'the process running the task');
    victim.child.kill('SIGKILL');
    await victim.exited;
    const seen: ApiEvent[] = [];
    // The player's socket may have been on the killed process: then it reconnects with `since`.
    const retryingHere = ws.until((e) => e.type === 'turn.retrying', 30_000);
    retryingHere.catch(() => undefined); // a closed socket never sees it: the race below says so
    const settled = await Promise.race([ws.closed.then(() => 'closed' as const), retryingHere.then(() => 'open' as const)]);
    if (settled === 'closed') {
      seen.push(...ws.events);
      ws = await eventually(() => openEvents(`${p.wsBase}&since=${seen.at(-1)!.id}`).catch(() => undefined), 10_000, 'reconnect');
    }
    const retrying = await ws.until((e) => e.type === 'turn.retrying', 30_000);
    expect((retrying.error as { code: string }).code).toBe('worker_lost');
    const completed = await ws.until((e) => e.type === 'turn.completed' && e.id > retrying.id, 30_000);
    expect(completed.turn_no).toBe(1);
    const all = [...seen, ...ws.events];
    // Ids of one session are consecutive: a gap would be a lost event.
    for (let i = 1; i < all.length; i++) expect(all[i]!.id).toBe(all[i - 1]!.id + 1);
    ws.close();
    const turns = (await p.call('GET', `/api/sessions/${p.sessionId}/turns`)).body.turns;
    expect(turns.map((t: { turn_no: number }) => t.turn_no)).toEqual([0, 1]);
    expect(turns.filter((t: { task_id: string }) => t.task_id === taskId)).toHaveLength(1);
    expect((await p.call('GET', `/api/story/status/${taskId}`)).body.status).toBe('completed');
  }, 120_000);
});
