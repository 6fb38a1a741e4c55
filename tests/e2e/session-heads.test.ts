/**
 * The session heads every process shares in Redis (domain/ports/session-heads.ts), in distributed
 * mode: a web-only server and a server that runs turns, on one Redis and one PostgreSQL. A
 * player's later actions are answered without the database, and every write that changes what an
 * action must know — on either server — is seen by the other server's next action: the answers
 * are the ones the database would give (404, 409 story_ended, a shared session's line, 429 with
 * the slot given back).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { api, openEvents } from '../support/clients.js';
import { parsePrometheusText } from '../support/prom-text.js';
import { eventually } from '../support/test-env.js';
import { startWebAndWorker, type WebAndWorker } from '../support/web-and-worker.js';

type Call = ReturnType<typeof api>;

describe('session heads shared through Redis (web server + worker server)', () => {
  let cluster: WebAndWorker;
  let web: RunningServer;
  let worker: RunningServer;
  let storyId: string;

  beforeAll(async () => {
    cluster = await startWebAndWorker({
      JWT_SECRET: 'session-heads-secret-session-heads-secret',
      // Holds a turn in flight long enough to act during it.
      OFFLINE_LATENCY_MS: '300',
      DAILY_TOKEN_BUDGET: '100000',
    });
    ({ web, worker, vaultStoryId: storyId } = cluster);
  }, 60_000);
  afterAll(() => cluster?.stop(), 60_000);

  /** A guest with a client on each server. */
  async function player() {
    const token = (await api(web.url)('POST', '/api/auth/guest')).body.token as string;
    return { token, onWeb: api(web.url, token), onWorker: api(worker.url, token) };
  }
  const socketUrl = (server: RunningServer, sessionId: string, token: string) => `${server.url.replace(/^http/, 'ws')}/ws/story/${sessionId}?token=${token}`;
  const newSession = async (call: Call) => (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
  async function play(call: Call, sessionId: string, input: string) {
    const accepted = await call('POST', '/api/story/action', { session_id: sessionId, user_input: input });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    return eventually(async () => {
      const r = await call('GET', `/api/story/status/${accepted.body.task_id}`);
      return r.body.status === 'completed' || r.body.status === 'failed' ? r.body : undefined;
    }, 20_000);
  }
  const claims = () => web.runtime.transport.heads!.stats!().claims;
  const reads = () => web.runtime.transport.heads!.stats!().reads;
  /** A new session of `call`'s player with one turn played: its head is known from then on. */
  async function knownSession(call: Call) {
    const sid = await newSession(call);
    await play(call, sid, 'I light the old brass lamp');
    return sid;
  }

  it("a player's actions are known to the web server: no read of the session; once forgotten, one read remembers it again", async () => {
    const me = await player();
    const sid = await newSession(me.onWeb);
    const before = claims();
    for (const input of ['I light the old brass lamp', 'I look around', 'I listen']) expect((await play(me.onWeb, sid, input)).status).toBe('completed');
    const known = claims();
    expect({ unknown: known.unknown - before.unknown, known: known.known - before.known }).toEqual({ unknown: 0, known: 3 });
    await web.runtime.transport.heads!.forget(sid);
    for (const input of ['I wait', 'I wait again']) expect((await play(me.onWeb, sid, input)).status).toBe('completed');
    const after = claims();
    expect({ unknown: after.unknown - known.unknown, known: after.known - known.known }).toEqual({ unknown: 1, known: 1 });
    const metrics = parsePrometheusText(await (await fetch(`${web.url}/metrics`)).text());
    expect(metrics.value('mock_drama_session_head_claims_total', { result: 'known' })).toBeGreaterThanOrEqual(4);
  });

  it("a session is known from its start, on every server: its socket's opening, its first action and its status read nothing", async () => {
    const me = await player();
    const sid = await newSession(me.onWorker);
    const before = claims();
    const readsBefore = reads();
    const socket = await openEvents(socketUrl(web, sid, me.token));
    const accepted = await me.onWeb('POST', '/api/story/action', { session_id: sid, user_input: 'I light the old brass lamp' });
    expect(accepted.status).toBe(202);
    await socket.until((e) => e.type === 'turn.completed', 20_000);
    const status = await me.onWeb('GET', `/api/story/status/${accepted.body.task_id}`);
    expect(status.body.status).toBe('completed');
    socket.close();
    const after = claims();
    const readsAfter = reads();
    expect({ unknown: after.unknown - before.unknown, known: after.known - before.known }).toEqual({ unknown: 0, known: 1 });
    expect({ unknown: readsAfter.unknown - readsBefore.unknown, known: readsAfter.known - readsBefore.known }).toEqual({ unknown: 0, known: 2 });
    const metrics = parsePrometheusText(await (await fetch(`${web.url}/metrics`)).text());
    expect(metrics.value('mock_drama_session_head_reads_total', { result: 'known' })).toBeGreaterThanOrEqual(2);
  });

  it("someone else's socket or status poll on a known session finds no such session, nor does the owner's once it was deleted on the other server", async () => {
    const me = await player();
    const other = await player();
    const sid = await knownSession(me.onWeb);
    const task = (await me.onWeb('GET', `/api/sessions/${sid}/turns`)).body;
    await expect(openEvents(socketUrl(web, sid, other.token))).rejects.toThrow('upgrade refused: 404');
    const taskId = (task.turns ?? task.items ?? task).find((t: { task_id: string | null }) => t.task_id)?.task_id as string;
    expect(taskId).toBeTruthy();
    expect((await other.onWeb('GET', `/api/story/status/${taskId}`)).status).toBe(404);
    expect((await me.onWeb('GET', `/api/story/status/${taskId}`)).status).toBe(200);
    expect((await me.onWorker('DELETE', `/api/sessions/${sid}`)).status).toBe(204);
    await expect(openEvents(socketUrl(web, sid, me.token))).rejects.toThrow('upgrade refused: 404');
  });

  it('someone else acting on a known session still finds no such session', async () => {
    const me = await player();
    const other = await player();
    const sid = await knownSession(me.onWeb);
    const probe = await other.onWeb('POST', '/api/story/action', { session_id: sid, user_input: 'mine now' });
    expect(probe.status).toBe(404);
    expect(probe.body.error.code).toBe('session_not_found');
  });

  it('a session deleted on one server is not found by an action on the other', async () => {
    const me = await player();
    const sid = await knownSession(me.onWeb);
    expect((await me.onWorker('DELETE', `/api/sessions/${sid}`)).status).toBe(204);
    const after = await me.onWeb('POST', '/api/story/action', { session_id: sid, user_input: 'hello?' });
    expect(after.status).toBe(404);
    expect(after.body.error.code).toBe('session_not_found');
  });

  it('a story that ended in a turn (the worker commits it) refuses the next action with story_ended', async () => {
    const me = await player();
    const sid = await knownSession(me.onWeb);
    const last = await play(me.onWeb, sid, 'I leave the vault through the front door');
    expect(last.result.updated_state.ended).toBe(true);
    const after = await me.onWeb('POST', '/api/story/action', { session_id: sid, user_input: 'I go back in' });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('story_ended');
  });

  it("once someone joins, the owner's action during a turn waits in the shared session's line instead of a 409", async () => {
    const owner = await player();
    const friend = await player();
    const sid = await knownSession(owner.onWeb);
    const code = (await owner.onWorker('POST', `/api/sessions/${sid}/invites`, { role: 'player' })).body.code as string;
    expect((await friend.onWorker('POST', `/api/invites/${code}/join`)).status).toBe(200);
    const first = await friend.onWeb('POST', '/api/story/action', { session_id: sid, user_input: 'I listen at the door' });
    expect(first.status).toBe(202);
    const second = await owner.onWeb('POST', '/api/story/action', { session_id: sid, user_input: 'I count the coins' });
    expect(second.status, JSON.stringify(second.body)).toBe(202);
    expect(second.body).toMatchObject({ status: 'queued', position: 1 });
  });

  it('two actions at once on a known session, one on each server: one turn, one 409', async () => {
    const me = await player();
    const sid = await knownSession(me.onWeb);
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([me.onWeb, me.onWorker].map((call) => call('POST', '/api/story/action', { session_id: sid, user_input: `I look around (${round})` })));
      expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([202, 409]);
      const accepted = answers.find((a) => a.status === 202)!;
      await eventually(async () => ((await me.onWeb('GET', `/api/story/status/${accepted.body.task_id}`)).body.status === 'completed' ? true : undefined), 20_000);
    }
    const turns = (await me.onWeb('GET', `/api/sessions/${sid}/turns`)).body.turns as { turn_no: number }[];
    expect(turns.map((t) => t.turn_no)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('an action refused for the budget gives the turn slot back: the session is not left busy', async () => {
    const me = await player();
    const sid = await knownSession(me.onWeb);
    const runtime = web.runtime;
    const limits = runtime.service.limits as { dailyTokenBudget?: number };
    const budget = limits.dailyTokenBudget;
    limits.dailyTokenBudget = 1;
    try {
      const before = claims().known;
      const refused = await me.onWeb('POST', '/api/story/action', { session_id: sid, user_input: 'I look around' });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('budget_exceeded');
      expect(claims().known).toBe(before + 1);
      expect(await runtime.queue.isBusy(sid)).toBe(false);
    } finally {
      limits.dailyTokenBudget = budget;
    }
    expect((await play(me.onWeb, sid, 'I look around')).status).toBe('completed');
  });
});

describe('session heads with the turns on a thread of their own (TURN_THREAD=on beside Redis)', () => {
  let cluster: WebAndWorker;

  beforeAll(async () => {
    cluster = await startWebAndWorker({ JWT_SECRET: 'session-heads-thread-secret-session-heads', TURN_THREAD: 'on' });
  }, 60_000);
  afterAll(() => cluster?.stop(), 60_000);

  it("the thread's commit that ends the story forgets the head the web server knew", async () => {
    expect(cluster.worker.runtime.turnThread).toBeTruthy();
    const token = (await api(cluster.web.url)('POST', '/api/auth/guest')).body.token as string;
    const call = api(cluster.web.url, token);
    const sid = (await call('POST', '/api/sessions', { story_id: cluster.vaultStoryId })).body.session_id as string;
    for (const input of ['I light the old brass lamp', 'I leave the vault through the front door']) {
      const accepted = await call('POST', '/api/story/action', { session_id: sid, user_input: input });
      expect(accepted.status).toBe(202);
      await eventually(async () => ((await call('GET', `/api/story/status/${accepted.body.task_id}`)).body.status === 'completed' ? true : undefined), 20_000);
    }
    expect(cluster.web.runtime.transport.heads!.stats!().claims.known).toBe(2);
    const after = await call('POST', '/api/story/action', { session_id: sid, user_input: 'I go back in' });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('story_ended');
  });
});
