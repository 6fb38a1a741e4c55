import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    // A turn stays in flight long enough for a second request to find it there.
    OFFLINE_LATENCY_MS: '150',
    MAX_INPUT_CHARS: '50',
    // One turn spends it: the next action of the same user is refused.
    DAILY_TOKEN_BUDGET: '1',
  });
});
afterAll(() => t?.close());

describe('happy path', () => {
  it('POST /api/story/action: 202 processing, then the status route has the committed turn', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const accepted = await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the old brass lamp' });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ task_id: expect.any(String), status: 'processing' });

    const done = await t.waitForTask(me, accepted.body.task_id);
    expect(done).toMatchObject({ task_id: accepted.body.task_id, session_id: sessionId, status: 'completed', attempts: 1 });
    expect(done.result).toMatchObject({ turn_no: 1, input: 'I light the old brass lamp', action: 'do', decision: { choice_index: 0 }, updated_state: { variables: { lamp_lit: true } } });
    // Still there on a later read.
    expect((await me.call('GET', `/api/story/status/${accepted.body.task_id}`)).body).toMatchObject({ status: 'completed', result: { turn_no: 1 } });
  });

  it('GET /api/story/status/:task_id: a running turn is queued or processing, with no result yet (a `continue` needs no input)', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const accepted = await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: '', action: 'continue' });
    expect(accepted.status).toBe(202);
    const running = await me.call('GET', `/api/story/status/${accepted.body.task_id}`);
    expect(running.status).toBe(200);
    expect(running.body).toMatchObject({ task_id: accepted.body.task_id, session_id: sessionId, result: null });
    expect(['queued', 'processing']).toContain(running.body.status);
    expect((await t.waitForTask(me, accepted.body.task_id)).result.action).toBe('continue');
  });

  it('the same Idempotency-Key answers with the same task instead of a second turn', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const body = { session_id: sessionId, user_input: 'I light the old brass lamp' };
    const first = await me.call('POST', '/api/story/action', body, { 'idempotency-key': 'lamp-1' });
    expect(first.status).toBe(202);
    await t.waitForTask(me, first.body.task_id);
    const again = await me.call('POST', '/api/story/action', body, { 'idempotency-key': 'lamp-1' });
    expect(again.status).toBe(202);
    expect(again.body.task_id).toBe(first.body.task_id);
    expect((await me.call('GET', `/api/sessions/${sessionId}`)).body.turn_no).toBe(1);
  });
});

describe('errors', () => {
  it('both routes are 401 without a valid token', async () => {
    expectError(await t.request('POST', '/api/story/action', { body: { session_id: 'x', user_input: 'hi' } }), 401, 'unauthorized');
    expectError(await t.request('GET', '/api/story/status/x', { token: 'bad' }), 401, 'unauthorized');
  });

  it('POST /api/story/action is 400 for a malformed body or header', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    expectError(await me.call('POST', '/api/story/action', { user_input: 'hi' }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/story/action', { session_id: sessionId }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'hi', action: 'dance' }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'hi' }, { 'idempotency-key': 'k'.repeat(201) }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/story/action', 'session_id=1'), 400, 'bad_request');
  });

  it('POST /api/story/action is 400 for empty input', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const res = await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: '   ' });
    expectError(res, 400, 'bad_request');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'user_input' })]);
  });

  it('POST /api/story/action is 404 session_not_found for an unknown session and for someone else’s', async () => {
    const owner = await t.guest();
    const sessionId = await t.newSession(owner);
    const other = await t.guest();
    expectError(await other.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'hi' }), 404, 'session_not_found');
    expectError(await other.call('POST', '/api/story/action', { session_id: 'no-such-session', user_input: 'hi' }), 404, 'session_not_found');
  });

  it('POST /api/story/action is 409 turn_in_progress while the session has a turn in flight', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const first = await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the lamp' });
    expect(first.status).toBe(202);
    expectError(await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'and again' }), 409, 'turn_in_progress');
    await t.waitForTask(me, first.body.task_id);
  });

  it('POST /api/story/action is 409 story_ended once the story reached an ending', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const done = await t.play(me, sessionId, 'I leave the vault through the front door');
    expect(done.result.updated_state.ended).toBe(true);
    expectError(await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I go back in' }), 409, 'story_ended');
  });

  it('POST /api/story/action is 413 for input over MAX_INPUT_CHARS and for a body over MAX_BODY_BYTES', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    expectError(await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'a'.repeat(51) }), 413, 'payload_too_large');
    expectError(await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'a'.repeat(t.env.MAX_BODY_BYTES) }), 413, 'payload_too_large');
  });

  it("POST /api/story/action is 429 budget_exceeded once the day's tokens are spent, with Retry-After", async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    await t.play(me, sessionId, 'I light the old brass lamp');
    const res = await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I look around' });
    expectError(res, 429, 'budget_exceeded');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('POST /api/story/action is 429 rate_limited over the per-user action rate', async () => {
    const call = t.withDeps({ security: { ...t.deps.security, actionsPerMinute: 1 } });
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    // The first is counted whatever its answer; the second is refused before the service sees it.
    await call('POST', '/api/story/action', { token: me.token, body: { session_id: sessionId, user_input: '' } });
    const res = await call('POST', '/api/story/action', { token: me.token, body: { session_id: sessionId, user_input: 'hi' } });
    expectError(res, 429, 'rate_limited');
    expect(res.body.error.details).toMatchObject({ scope: 'user', limit: 1 });
  });

  it('GET /api/story/status/:task_id is 404 task_not_found for an unknown task and for someone else’s', async () => {
    const owner = await t.guest();
    const sessionId = await t.newSession(owner);
    const accepted = await owner.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the lamp' });
    const other = await t.guest();
    expectError(await other.call('GET', `/api/story/status/${accepted.body.task_id}`), 404, 'task_not_found');
    expectError(await other.call('GET', '/api/story/status/no-such-task'), 404, 'task_not_found');
    await t.waitForTask(owner, accepted.body.task_id);
    expectError(await other.call('GET', `/api/story/status/${accepted.body.task_id}`), 404, 'task_not_found');
  });

  it('GET /api/story/status/:task_id is 400 for a task id over 100 characters', async () => {
    expectError(await (await t.guest()).call('GET', `/api/story/status/${'t'.repeat(101)}`), 400, 'bad_request');
  });
});
