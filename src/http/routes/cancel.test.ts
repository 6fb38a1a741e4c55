import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  // Long enough that a cancel lands while the turn waits on the models.
  t = await createTestApp({ OFFLINE_LATENCY_MS: '300' });
});
afterAll(() => t?.close());

describe('happy path', () => {
  it('POST /api/sessions/:id/cancel stops the running turn: failed with cancelled, nothing committed, the next action accepted', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const running = await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the old brass lamp' });
    expect(running.status).toBe(202);
    const res = await me.call('POST', `/api/sessions/${sessionId}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ task_id: running.body.task_id, status: 'failed', error: expect.objectContaining({ code: 'cancelled', message: expect.any(String) }) });
    expect((await me.call('GET', `/api/story/status/${running.body.task_id}`)).body).toMatchObject({ status: 'failed', result: { code: 'cancelled' } });
    expect((await me.call('GET', `/api/sessions/${sessionId}`)).body.turn_no).toBe(0);
    const next = await me.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the lamp after all' });
    expect(next.status).toBe(202);
    expect((await t.waitForTask(me, next.body.task_id)).status).toBe('completed');
  });
});

describe('errors', () => {
  it('is 401 without a valid token', async () => {
    expectError(await t.request('POST', '/api/sessions/s/cancel'), 401, 'unauthorized');
    expectError(await t.request('POST', '/api/sessions/s/cancel', { token: 'bad' }), 401, 'unauthorized');
  });

  it('is 400 for a session id over 100 characters', async () => {
    expectError(await (await t.guest()).call('POST', `/api/sessions/${'s'.repeat(101)}/cancel`), 400, 'bad_request');
  });

  it('is 404 session_not_found for an unknown session and for someone else’s, whose turn runs on', async () => {
    const owner = await t.guest();
    const sessionId = await t.newSession(owner);
    const running = await owner.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the old brass lamp' });
    const other = await t.guest();
    expectError(await other.call('POST', `/api/sessions/${sessionId}/cancel`), 404, 'session_not_found');
    expectError(await other.call('POST', '/api/sessions/no-such-session/cancel'), 404, 'session_not_found');
    expect((await t.waitForTask(owner, running.body.task_id)).status).toBe('completed');
  });

  it('is 413 for a body over MAX_BODY_BYTES (it takes none)', async () => {
    expectError(await (await t.guest()).call('POST', '/api/sessions/s/cancel', { pad: 'x'.repeat(t.env.MAX_BODY_BYTES) }), 413, 'payload_too_large');
  });

  it('is 409 no_turn_in_progress when nothing is queued or running', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    expectError(await me.call('POST', `/api/sessions/${sessionId}/cancel`), 409, 'no_turn_in_progress');
  });
});
