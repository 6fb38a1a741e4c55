/** Time controls refused over HTTP: while a turn is in flight (409), for someone else's session (404), past the quota (403). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { eventually, testServerEnv } from '../support/test-env.js';

describe('time controls: refusals', () => {
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let storyId: string;
  const guest = async () => api(server.url, (await api(server.url)('POST', '/api/auth/guest')).body.token);

  beforeAll(async () => {
    // Slow offline models (each waits before answering) hold a turn in flight for the 409 checks.
    server = await startServer(
      testServerEnv({ JWT_SECRET: 'timeline-refusal-secret-timeline-refusal-01', OFFLINE_LATENCY_MS: '1500', MAX_SESSIONS_PER_USER: '2' }),
      silentLogger(),
    );
    call = await guest();
    storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  const waitDone = (taskId: string) =>
    eventually(async () => {
      const r = await call('GET', `/api/story/status/${taskId}`);
      return r.body.status === 'completed' ? r.body : undefined;
    }, 20_000);

  it('undo, redo, retry and fork answer 409 turn_in_progress while a turn is queued or running, and change nothing', async () => {
    const sid = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
    const first = await call('POST', '/api/story/action', { session_id: sid, user_input: 'I light the old brass lamp' });
    await waitDone(first.body.task_id);
    // Something to redo, so that redo too is refused only because of the turn in flight.
    await call('POST', `/api/sessions/${sid}/undo`);
    const inFlight = await call('POST', '/api/story/action', { session_id: sid, user_input: 'hum a tune' });
    const before = (await call('GET', `/api/sessions/${sid}`)).body;
    const attempts = [
      await call('POST', `/api/sessions/${sid}/undo`),
      await call('POST', `/api/sessions/${sid}/redo`),
      await call('POST', `/api/sessions/${sid}/retry`),
      await call('POST', `/api/sessions/${sid}/fork`, { turn_no: 0 }),
    ];
    // The checks are only meaningful if the turn was still in flight after them.
    expect((await call('GET', `/api/story/status/${inFlight.body.task_id}`)).body.status).not.toBe('completed');
    for (const r of attempts) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('turn_in_progress');
    }
    expect((await call('GET', `/api/sessions/${sid}`)).body).toEqual(before);
    const done = await waitDone(inFlight.body.task_id);
    expect(done.result.turn_no).toBe(1);
    // Once committed, the session can be rewound again.
    expect((await call('POST', `/api/sessions/${sid}/undo`)).status).toBe(200);
  }, 30_000);

  it("someone else's session is not found on every time control; nothing of it changes", async () => {
    const sid = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
    const other = await guest();
    const before = (await call('GET', `/api/sessions/${sid}`)).body;
    for (const [path, body] of [['undo'], ['redo'], ['retry'], ['fork', { turn_no: 0 }]] as const) {
      const r = await other('POST', `/api/sessions/${sid}/${path}`, body);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('session_not_found');
    }
    expect((await call('GET', `/api/sessions/${sid}`)).body).toEqual(before);
  });

  it('a fork counts against the session quota', async () => {
    const player = await guest();
    const sid = (await player('POST', '/api/sessions', { story_id: storyId })).body.session_id;
    expect((await player('POST', `/api/sessions/${sid}/fork`, { turn_no: 0 })).status).toBe(201);
    const over = await player('POST', `/api/sessions/${sid}/fork`, { turn_no: 0 });
    expect(over.status).toBe(403);
    expect(over.body.error.details).toMatchObject({ quota: 'sessions', limit: 2, used: 2 });
  });
});
