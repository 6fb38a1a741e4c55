/**
 * Who acts when in a shared session (PATCH /api/sessions/:id {turn_mode}): the free line, rounds
 * and votes through POST /api/story/action, in process over the real runtime. Turns are slowed
 * (OFFLINE_LATENCY_MS) so that actions really arrive while one runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
let quick: TestApp;
beforeAll(async () => {
  [t, quick] = await Promise.all([
    createTestApp({ OFFLINE_LATENCY_MS: '150', MAX_QUEUED_ACTIONS: '2' }),
    createTestApp({ OFFLINE_LATENCY_MS: '50', ROUND_TIMEOUT_S: '1', VOTE_WINDOW_S: '1' }),
  ]);
});
afterAll(async () => {
  await Promise.all([t?.close(), quick?.close()]);
});

interface Table {
  owner: User;
  sessionId: string;
  players: User[];
  spectator: User;
}

async function table(app: TestApp, players = 2): Promise<Table> {
  const owner = await app.guest();
  const sessionId = await app.newSession(owner);
  const code = (await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'player' })).body.code as string;
  const watch = (await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'spectator' })).body.code as string;
  const joined: User[] = [];
  for (let i = 0; i < players; i++) {
    const player = await app.guest();
    expect((await player.call('POST', `/api/invites/${code}/join`)).status).toBe(200);
    await player.call('PATCH', `/api/sessions/${sessionId}/members/me`, { display_name: `玩家${i + 1}` });
    joined.push(player);
  }
  const spectator = await app.guest();
  await spectator.call('POST', `/api/invites/${watch}/join`);
  return { owner, sessionId, players: joined, spectator };
}

const act = (user: User, sessionId: string, input: string) => user.call('POST', '/api/story/action', { session_id: sessionId, user_input: input });

async function activeTurns(app: TestApp, user: User, sessionId: string) {
  return (await user.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns as { turn_no: number; input: string; user_id: string | null; task_id: string }[];
}

describe('free mode (the default once someone joins)', () => {
  it('actions that arrive while a turn runs wait in line and each becomes its own turn, once, in arrival order', async () => {
    const { owner, sessionId, players } = await table(t);
    expect((await owner.call('GET', `/api/sessions/${sessionId}`)).body.turn_mode).toBe('free');
    const first = await act(owner, sessionId, 'I climb the stairs');
    const second = await act(players[0]!, sessionId, 'I follow with the lamp');
    const third = await act(players[1]!, sessionId, 'I wait by the door');
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ task_id: expect.any(String), status: 'processing' });
    expect(second.body).toEqual({ task_id: expect.any(String), status: 'queued', position: 1 });
    expect(third.body).toEqual({ task_id: expect.any(String), status: 'queued', position: 2 });
    expect((await players[1]!.call('GET', `/api/story/status/${third.body.task_id}`)).body).toMatchObject({ status: 'queued', position: 2 });

    const done = await t.waitForTask(players[1]!, third.body.task_id);
    expect(done).toMatchObject({ status: 'completed', result: { turn_no: 3 } });
    const turns = await activeTurns(t, owner, sessionId);
    expect(turns.map((x) => [x.turn_no, x.input, x.user_id, x.task_id])).toEqual([
      [0, '', null, null],
      [1, 'I climb the stairs', owner.userId, first.body.task_id],
      [2, 'I follow with the lamp', players[0]!.userId, second.body.task_id],
      [3, 'I wait by the door', players[1]!.userId, third.body.task_id],
    ]);
    // Every queued action was announced with its place; nothing is left waiting.
    const events = await t.deps.bus.replay(sessionId, 0);
    expect(events.filter((e) => e.type === 'turn.queued').map((e) => [e.taskId, (e as { position: number }).position])).toEqual([
      [second.body.task_id, 1],
      [third.body.task_id, 2],
    ]);
    expect(await t.runtime.deps.store.actions.waiting(sessionId)).toEqual([]);
  });

  it('a full line is 429 queue_full and changes nothing; a spectator is 403 and queues nothing', async () => {
    const { owner, sessionId, players, spectator } = await table(t, 3);
    const first = await act(owner, sessionId, 'I open the hatch');
    const queued = [await act(players[0]!, sessionId, 'I hold the rope'), await act(players[1]!, sessionId, 'I light a flare')];
    expect(queued.map((r) => r.body.status)).toEqual(['queued', 'queued']);
    const refused = await act(players[2]!, sessionId, 'I sing');
    expectError(refused, 429, 'queue_full');
    expect(refused.body.error.details).toEqual({ limit: 2 });
    expectError(await spectator.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I shout advice' }), 403, 'spectator');
    await t.waitForTask(players[1]!, queued[1]!.body.task_id);
    const turns = await activeTurns(t, owner, sessionId);
    expect(turns.map((x) => x.input)).toEqual(['', 'I open the hatch', 'I hold the rope', 'I light a flare']);
    expect(first.body.status).toBe('processing');
  });

  it('an idempotent retry of a queued action is the same task in the same place', async () => {
    const { owner, sessionId, players } = await table(t);
    await act(owner, sessionId, 'I step inside');
    const a = await players[0]!.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I look up' }, { 'idempotency-key': 'look-1' });
    const b = await players[0]!.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I look up' }, { 'idempotency-key': 'look-1' });
    expect(a.body).toEqual({ task_id: expect.any(String), status: 'queued', position: 1 });
    expect(b.body).toEqual(a.body);
    await t.waitForTask(players[0]!, a.body.task_id);
    expect((await activeTurns(t, owner, sessionId)).filter((x) => x.input === 'I look up')).toHaveLength(1);
  });
});

describe('round mode', () => {
  it('players act in join order, the owner first; out of turn is 409 not_your_turn naming whose turn it is', async () => {
    const { owner, sessionId, players } = await table(t);
    expectError(await players[0]!.call('PATCH', `/api/sessions/${sessionId}`, { turn_mode: 'round' }), 404, 'session_not_found');
    const set = await owner.call('PATCH', `/api/sessions/${sessionId}`, { turn_mode: 'round' });
    expect(set.body).toMatchObject({ turn_mode: 'round', round: { user_id: owner.userId } });
    const early = await act(players[0]!, sessionId, 'I go first');
    expectError(early, 409, 'not_your_turn');
    expect(early.body.error.details).toEqual({ user_id: owner.userId, display_name: null });
    expect(early.body.error.message).toBe("It is Host's turn");

    await t.waitForTask(owner, (await act(owner, sessionId, 'I ring the bell')).body.task_id);
    const skipAhead = await act(players[1]!, sessionId, 'I answer');
    expectError(skipAhead, 409, 'not_your_turn');
    expect(skipAhead.body.error.details).toEqual({ user_id: players[0]!.userId, display_name: '玩家1' });
    await t.waitForTask(players[0]!, (await act(players[0]!, sessionId, 'I answer the bell')).body.task_id);
    await t.waitForTask(players[1]!, (await act(players[1]!, sessionId, 'I climb down')).body.task_id);
    // Back to the owner.
    expect((await owner.call('GET', `/api/sessions/${sessionId}`)).body.round.user_id).toBe(owner.userId);
    const turns = await activeTurns(t, owner, sessionId);
    expect(turns.map((x) => x.user_id)).toEqual([null, owner.userId, players[0]!.userId, players[1]!.userId]);
  });

  it('a player who lets ROUND_TIMEOUT_S pass is skipped, and an event says so', async () => {
    const { owner, sessionId, players } = await table(quick);
    await owner.call('PATCH', `/api/sessions/${sessionId}`, { turn_mode: 'round' });
    expectError(await act(players[0]!, sessionId, 'I take over'), 409, 'not_your_turn');
    await new Promise((r) => setTimeout(r, 1300));
    const res = await act(players[0]!, sessionId, 'I take over');
    expect(res.status).toBe(202);
    await quick.waitForTask(players[0]!, res.body.task_id);
    const rounds = (await quick.deps.bus.replay(sessionId, 0)).filter((e) => e.type === 'round.next') as unknown as { userId: string; skippedUserId: string | null }[];
    expect(rounds.map((e) => [e.userId, e.skippedUserId])).toEqual([
      [owner.userId, null],
      [players[0]!.userId, owner.userId],
      [players[1]!.userId, null],
    ]);
  });
});

describe('vote mode', () => {
  it("actions collected in the window become one turn that names every player's action", async () => {
    const { owner, sessionId, players } = await table(quick);
    await owner.call('PATCH', `/api/sessions/${sessionId}`, { turn_mode: 'vote' });
    const votes = [await act(players[0]!, sessionId, 'I open the chest'), await act(owner, sessionId, 'I keep watch'), await act(players[0]!, sessionId, 'I open the chest slowly')];
    expect(votes.map((v) => v.body.status)).toEqual(['queued', 'queued', 'queued']);
    // A second vote replaces the player's first: that one is dropped.
    const replaced = await quick.waitForTask(players[0]!, votes[0]!.body.task_id);
    expect(replaced).toMatchObject({ status: 'failed', result: { code: 'cancelled' } });
    const done = await quick.waitForTask(owner, votes[1]!.body.task_id);
    expect(done).toMatchObject({ status: 'completed', result: { turn_no: 1 } });
    expect(await quick.waitForTask(players[0]!, votes[2]!.body.task_id)).toMatchObject({ status: 'completed', result: { turn_no: 1 } });
    const turns = await activeTurns(quick, owner, sessionId);
    expect(turns).toHaveLength(2);
    expect(turns[1]!.input).toBe('Host: I keep watch\n玩家1: I open the chest slowly');
  });
});

describe('changing the mode', () => {
  it('drops the actions still waiting (their tasks fail as cancelled) and a bad mode is 400', async () => {
    const { owner, sessionId, players } = await table(t);
    const running = await act(owner, sessionId, 'I descend');
    const waiting = await act(players[0]!, sessionId, 'I descend too');
    expect(waiting.body.status).toBe('queued');
    expectError(await owner.call('PATCH', `/api/sessions/${sessionId}`, { turn_mode: 'chaos' }), 400, 'bad_request');
    expect((await owner.call('PATCH', `/api/sessions/${sessionId}`, { turn_mode: 'vote' })).body.turn_mode).toBe('vote');
    expect(await t.waitForTask(players[0]!, waiting.body.task_id)).toMatchObject({ status: 'failed', result: { code: 'cancelled' } });
    expect(await t.waitForTask(owner, running.body.task_id)).toMatchObject({ status: 'completed' });
    expect((await activeTurns(t, owner, sessionId)).map((x) => x.input)).toEqual(['', 'I descend']);
  });

  it("a session nobody joined keeps refusing a second action with 409 turn_in_progress", async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    expect((await me.call('GET', `/api/sessions/${sessionId}`)).body.turn_mode).toBeNull();
    const first = await act(me, sessionId, 'I wake');
    expectError(await act(me, sessionId, 'I wake again'), 409, 'turn_in_progress');
    await t.waitForTask(me, first.body.task_id);
  });
});
