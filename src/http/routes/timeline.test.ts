import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ OFFLINE_LATENCY_MS: '100', MAX_SESSIONS_PER_USER: '2' });
});
afterAll(() => t?.close());

/** A new player with a session one turn in (the lamp lit). */
async function oneTurnIn(): Promise<{ me: User; sessionId: string }> {
  const me = await t.guest();
  const sessionId = await t.newSession(me);
  await t.play(me, sessionId, 'I light the old brass lamp');
  return { me, sessionId };
}

describe('happy path', () => {
  it('POST …/undo goes back a turn, and POST …/redo forward again', async () => {
    const { me, sessionId } = await oneTurnIn();
    const undone = await me.call('POST', `/api/sessions/${sessionId}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ session_id: sessionId, turn_no: 0, redo_available: true, variables: { lamp_lit: false } });
    const redone = await me.call('POST', `/api/sessions/${sessionId}/redo`);
    expect(redone.status).toBe(200);
    expect(redone.body).toMatchObject({ session_id: sessionId, turn_no: 1, redo_available: false, variables: { lamp_lit: true } });
  });

  it('POST …/retry plays the last turn again as a new task; the first take stays as replaced', async () => {
    const { me, sessionId } = await oneTurnIn();
    const accepted = await me.call('POST', `/api/sessions/${sessionId}/retry`);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ task_id: expect.any(String), status: 'processing' });
    const done = await t.waitForTask(me, accepted.body.task_id);
    expect(done).toMatchObject({ status: 'completed', result: { turn_no: 1, input: 'I light the old brass lamp' } });
    const turns = await me.call('GET', `/api/sessions/${sessionId}/turns?include=all`);
    expect(turns.body.turns.map((x: { turn_no: number; state: string }) => `${x.turn_no}:${x.state}`)).toEqual(['0:active', '1:replaced', '1:active']);
  });

  it('POST …/retry with {user_input, action} plays the edited action; the first take stays browsable', async () => {
    const { me, sessionId } = await oneTurnIn();
    const accepted = await me.call('POST', `/api/sessions/${sessionId}/retry`, { user_input: '  I call out to the keeper  ', action: 'say' });
    expect(accepted.status).toBe(202);
    const done = await t.waitForTask(me, accepted.body.task_id);
    expect(done).toMatchObject({ status: 'completed', result: { turn_no: 1, input: 'I call out to the keeper', action: 'say' } });
    const turns = await me.call('GET', `/api/sessions/${sessionId}/turns?include=all`);
    const one = turns.body.turns.filter((x: { turn_no: number }) => x.turn_no === 1);
    expect(one.map((x: { state: string; input: string }) => `${x.state}:${x.input}`)).toEqual(['replaced:I light the old brass lamp', 'active:I call out to the keeper']);
  });

  it('PATCH …/turns/:n edits a passage: the original is kept, and the next turn reads the edited text', async () => {
    const { me, sessionId } = await oneTurnIn();
    const before = (await me.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns[1];
    const first = await me.call('PATCH', `/api/sessions/${sessionId}/turns/1`, { narration: 'The lamp flares green, and 灯塔 hums.' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ turn_no: 1, response: 'The lamp flares green, and 灯塔 hums.', edited: true, original_narration: before.response });
    const second = await me.call('PATCH', `/api/sessions/${sessionId}/turns/1`, { narration: 'The lamp stays dark.' });
    expect(second.body).toMatchObject({ response: 'The lamp stays dark.', original_narration: before.response });
    expect((await me.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns[0]).toMatchObject({ edited: false, original_narration: null });
    await t.play(me, sessionId, 'I look at the lamp');
    const trace = JSON.stringify((await me.call('GET', `/api/sessions/${sessionId}/turns/2/trace`)).body);
    expect(trace).toContain('The lamp stays dark.');
    expect(trace).not.toContain(before.response.slice(0, 40));
  });

  it('POST …/fork copies the session as it was after a turn; the source does not change', async () => {
    const { me, sessionId } = await oneTurnIn();
    const forked = await me.call('POST', `/api/sessions/${sessionId}/fork`, { turn_no: 0 });
    expect(forked.status).toBe(201);
    expect(forked.body.session_id).not.toBe(sessionId);
    expect(forked.body.session).toMatchObject({ session_id: forked.body.session_id, turn_no: 0, forked_from: sessionId, forked_at_turn: 0, variables: { lamp_lit: false } });
    expect((await me.call('GET', `/api/sessions/${forked.body.session_id}`)).status).toBe(200);
    expect((await me.call('GET', `/api/sessions/${sessionId}`)).body.turn_no).toBe(1);
  });
});

describe('errors', () => {
  it('every timeline route is 401 without a valid token', async () => {
    for (const path of ['undo', 'redo', 'retry']) expectError(await t.request('POST', `/api/sessions/s/${path}`), 401, 'unauthorized');
    expectError(await t.request('POST', '/api/sessions/s/fork', { token: 'bad', body: { turn_no: 0 } }), 401, 'unauthorized');
  });

  it('every timeline route is 404 session_not_found for an unknown session and for someone else’s', async () => {
    const { sessionId } = await oneTurnIn();
    const other = await t.guest();
    for (const id of [sessionId, 'no-such-session']) {
      for (const path of ['undo', 'redo', 'retry']) expectError(await other.call('POST', `/api/sessions/${id}/${path}`), 404, 'session_not_found');
      expectError(await other.call('POST', `/api/sessions/${id}/fork`, { turn_no: 0 }), 404, 'session_not_found');
    }
  });

  it('at the opening: undo is 409 nothing_to_undo, redo 409 nothing_to_redo, retry 409 nothing_to_retry', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    expectError(await me.call('POST', `/api/sessions/${sessionId}/undo`), 409, 'nothing_to_undo');
    expectError(await me.call('POST', `/api/sessions/${sessionId}/redo`), 409, 'nothing_to_redo');
    expectError(await me.call('POST', `/api/sessions/${sessionId}/retry`), 409, 'nothing_to_retry');
  });

  it('every timeline route is 409 turn_in_progress while a turn is in flight', async () => {
    const { me, sessionId } = await oneTurnIn();
    const running = await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I look around' });
    expect(running.status).toBe(202);
    for (const path of ['undo', 'redo', 'retry']) expectError(await me.call('POST', `/api/sessions/${sessionId}/${path}`), 409, 'turn_in_progress');
    expectError(await me.call('POST', `/api/sessions/${sessionId}/fork`, { turn_no: 0 }), 409, 'turn_in_progress');
    await t.waitForTask(me, running.body.task_id);
  });

  it('PATCH …/turns/:n: 404 for someone else’s session or a turn not on the timeline, 400 empty, 413 too long, 409 while a turn runs', async () => {
    const { me, sessionId } = await oneTurnIn();
    const other = await t.guest();
    expectError(await other.call('PATCH', `/api/sessions/${sessionId}/turns/1`, { narration: 'mine now' }), 404, 'session_not_found');
    expectError(await me.call('PATCH', `/api/sessions/${sessionId}/turns/5`, { narration: 'later' }), 404, 'not_found');
    expectError(await me.call('PATCH', `/api/sessions/${sessionId}/turns/1`, { narration: ' \u0000 ' }), 400, 'bad_request');
    expectError(await me.call('PATCH', `/api/sessions/${sessionId}/turns/1`, {}), 400, 'bad_request');
    expectError(await me.call('PATCH', `/api/sessions/${sessionId}/turns/1`, { narration: '长'.repeat(20_001) }), 413, 'payload_too_large');
    const running = await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I wait' });
    expectError(await me.call('PATCH', `/api/sessions/${sessionId}/turns/1`, { narration: 'meanwhile' }), 409, 'turn_in_progress');
    await t.waitForTask(me, running.body.task_id);
    expect((await me.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns[1].edited).toBe(false);
  });

  it('POST …/retry with a bad edit is refused before anything is rewound', async () => {
    const { me, sessionId } = await oneTurnIn();
    expectError(await me.call('POST', `/api/sessions/${sessionId}/retry`, { user_input: '' }), 400, 'bad_request');
    expectError(await me.call('POST', `/api/sessions/${sessionId}/retry`, { user_input: 'x'.repeat(t.env.MAX_INPUT_CHARS + 1) }), 413, 'payload_too_large');
    expectError(await me.call('POST', `/api/sessions/${sessionId}/retry`, { action: 'shout' }), 400, 'bad_request');
    const turns = await me.call('GET', `/api/sessions/${sessionId}/turns?include=all`);
    expect(turns.body.turns.map((x: { turn_no: number; state: string }) => `${x.turn_no}:${x.state}`)).toEqual(['0:active', '1:active']);
  });

  it('POST …/fork is 400 for a malformed body and for a turn past the session’s current one', async () => {
    const { me, sessionId } = await oneTurnIn();
    expectError(await me.call('POST', `/api/sessions/${sessionId}/fork`, {}), 400, 'bad_request');
    expectError(await me.call('POST', `/api/sessions/${sessionId}/fork`, { turn_no: -1 }), 400, 'bad_request');
    expectError(await me.call('POST', `/api/sessions/${sessionId}/fork`, { turn_no: 0.5 }), 400, 'bad_request');
    expectError(await me.call('POST', `/api/sessions/${sessionId}/fork`, '{"turn_no":'), 400, 'bad_request');
    const past = await me.call('POST', `/api/sessions/${sessionId}/fork`, { turn_no: 2 });
    expectError(past, 400, 'bad_request');
    expect(past.body.error.details).toEqual([expect.objectContaining({ path: 'turn_no' })]);
  });

  it('POST …/fork is 403 when the session quota is full', async () => {
    const { me, sessionId } = await oneTurnIn();
    expect((await me.call('POST', `/api/sessions/${sessionId}/fork`, { turn_no: 1 })).status).toBe(201);
    const res = await me.call('POST', `/api/sessions/${sessionId}/fork`, { turn_no: 1 });
    expectError(res, 403, 'forbidden');
    expect(res.body.error.details).toEqual({ quota: 'sessions', limit: 2, used: 2 });
  });

  it('POST …/fork is 413 for a body over MAX_BODY_BYTES', async () => {
    const me = await t.guest();
    expectError(await me.call('POST', '/api/sessions/s/fork', { turn_no: 0, pad: 'x'.repeat(t.env.MAX_BODY_BYTES) }), 413, 'payload_too_large');
  });

  it('POST …/retry counts as an action: 429 rate_limited over the action rate', async () => {
    const { me, sessionId } = await oneTurnIn();
    // The action that played turn 1 counted too (the same limiter, the same user).
    const call = t.withDeps({ security: { ...t.deps.security, actionsPerMinute: 2 } });
    const first = await call('POST', `/api/sessions/${sessionId}/retry`, { token: me.token });
    expect(first.status).toBe(202);
    await t.waitForTask(me, first.body.task_id);
    expectError(await call('POST', `/api/sessions/${sessionId}/retry`, { token: me.token }), 429, 'rate_limited');
  });

  it('a new action after an undo discards the undone turn: redo is then 409 nothing_to_redo', async () => {
    const { me, sessionId } = await oneTurnIn();
    expect((await me.call('POST', `/api/sessions/${sessionId}/undo`)).status).toBe(200);
    await t.play(me, sessionId, 'I leave the vault through the front door');
    expectError(await me.call('POST', `/api/sessions/${sessionId}/redo`), 409, 'nothing_to_redo');
  });
});
