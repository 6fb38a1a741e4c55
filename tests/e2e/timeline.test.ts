/** Time controls over HTTP (real server, real sockets): undo, redo, retry, fork, and what watchers and memories see. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents } from '../support/clients.js';
import { eventually, testServerEnv } from '../support/test-env.js';

interface ApiTurn {
  turn_no: number;
  input: string;
  state: string;
  task_id: string | null;
  response: string;
}

describe('time controls: undo, redo, retry, fork', () => {
  let server: RunningServer;
  let token: string;
  let call: ReturnType<typeof api>;
  let storyId: string;

  beforeAll(async () => {
    server = await startServer(testServerEnv({ JWT_SECRET: 'timeline-test-secret-timeline-test-secret-01' }), silentLogger());
    token = (await api(server.url)('POST', '/api/auth/guest')).body.token;
    call = api(server.url, token);
    storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  const newSession = async () => (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
  const waitDone = (taskId: string) =>
    eventually(async () => {
      const r = await call('GET', `/api/story/status/${taskId}`);
      return ['completed', 'failed'].includes(r.body.status) ? r.body : undefined;
    });
  const play = async (sessionId: string, input: string) => {
    const accepted = await call('POST', '/api/story/action', { session_id: sessionId, user_input: input });
    expect(accepted.status).toBe(202);
    const done = await waitDone(accepted.body.task_id);
    expect(done.status).toBe('completed');
    return done.result as ApiTurn;
  };
  const timeline = async (sessionId: string, include = 'all') =>
    ((await call('GET', `/api/sessions/${sessionId}/turns?include=${include}`)).body.turns as ApiTurn[]).map((t) => `${t.turn_no}:${t.state}`);

  it('undo returns the session as GET shows it, one turn back; redo re-applies the turn', async () => {
    const sid = await newSession();
    await play(sid, 'I light the old brass lamp');
    await play(sid, 'hum a tune');
    const played = (await call('GET', `/api/sessions/${sid}`)).body;
    expect(played).toMatchObject({ turn_no: 2, redo_available: false, forked_from: null, forked_at_turn: null });

    const undone = await call('POST', `/api/sessions/${sid}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body).toEqual((await call('GET', `/api/sessions/${sid}`)).body);
    expect(undone.body).toMatchObject({ turn_no: 1, redo_available: true, variables: { lamp_lit: true } });
    expect(await timeline(sid, 'active')).toEqual(['0:active', '1:active']);
    expect(await timeline(sid)).toEqual(['0:active', '1:active', '2:undone']);
    expect((await call('GET', `/api/sessions/${sid}/turns/2/trace`)).status).toBe(404);

    expect((await call('POST', `/api/sessions/${sid}/undo`)).body).toMatchObject({ turn_no: 0, variables: { lamp_lit: false } });
    const atOpening = await call('POST', `/api/sessions/${sid}/undo`);
    expect(atOpening.status).toBe(409);
    expect(atOpening.body.error.code).toBe('nothing_to_undo');

    await call('POST', `/api/sessions/${sid}/redo`);
    const redone = await call('POST', `/api/sessions/${sid}/redo`);
    expect(redone.status).toBe(200);
    expect(redone.body).toEqual({ ...played, updated_at: redone.body.updated_at });
    const nothing = await call('POST', `/api/sessions/${sid}/redo`);
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe('nothing_to_redo');
    expect((await call('GET', `/api/sessions/${sid}/turns/2/trace`)).status).toBe(200);
  });

  it('two undos then a new action: the undone turns are discarded, kept, and no longer redoable', async () => {
    const sid = await newSession();
    for (const input of ['I light the old brass lamp', 'hum a tune', 'look around']) await play(sid, input);
    await call('POST', `/api/sessions/${sid}/undo`);
    await call('POST', `/api/sessions/${sid}/undo`);
    const next = await play(sid, 'count the coins');
    expect(next.turn_no).toBe(2);
    expect(await timeline(sid)).toEqual(['0:active', '1:active', '2:discarded', '2:active', '3:discarded']);
    expect((await call('GET', `/api/sessions/${sid}`)).body.redo_available).toBe(false);
    expect((await call('POST', `/api/sessions/${sid}/redo`)).body.error.code).toBe('nothing_to_redo');
  });

  it('retry plays the last turn again: the replaced turn stays visible as an alternative at the same number', async () => {
    const sid = await newSession();
    const first = await play(sid, 'I light the old brass lamp');
    const retried = await call('POST', `/api/sessions/${sid}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual({ task_id: expect.any(String), status: 'processing' });
    const done = await waitDone(retried.body.task_id);
    expect(done.result).toMatchObject({ turn_no: 1, input: first.input, action: 'do', state: 'active' });
    const all = (await call('GET', `/api/sessions/${sid}/turns?include=all`)).body.turns as ApiTurn[];
    expect(all.map((t) => `${t.turn_no}:${t.state}`)).toEqual(['0:active', '1:replaced', '1:active']);
    expect(all[1]!.task_id).toBe(first.task_id);
    expect(all[2]!.task_id).toBe(retried.body.task_id);
    expect((await call('GET', `/api/sessions/${sid}`)).body).toMatchObject({ turn_no: 1, variables: { lamp_lit: true } });

    const fresh = await newSession();
    const refused = await call('POST', `/api/sessions/${fresh}/retry`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('nothing_to_retry');
  });

  it('fork from a middle turn: a new session of the caller; both play on independently', async () => {
    const sid = await newSession();
    await play(sid, 'I light the old brass lamp');
    await play(sid, 'hum a tune');
    const forked = await call('POST', `/api/sessions/${sid}/fork`, { turn_no: 1 });
    expect(forked.status).toBe(201);
    const fid = forked.body.session_id;
    expect(fid).not.toBe(sid);
    expect(forked.body.session).toEqual((await call('GET', `/api/sessions/${fid}`)).body);
    expect(forked.body.session).toMatchObject({ turn_no: 1, forked_from: sid, forked_at_turn: 1, redo_available: false, variables: { lamp_lit: true } });
    const copied = (await call('GET', `/api/sessions/${fid}/turns`)).body.turns as ApiTurn[];
    expect(copied.map((t) => [t.turn_no, t.task_id])).toEqual([[0, null], [1, null]]);

    const onFork = await play(fid, 'leave the vault through the front door');
    const onSource = await play(sid, 'look around');
    expect([onFork.turn_no, onSource.turn_no]).toEqual([2, 3]);
    expect((await call('GET', `/api/sessions/${fid}`)).body).toMatchObject({ turn_no: 2, status: 'ended' });
    expect((await call('GET', `/api/sessions/${sid}`)).body).toMatchObject({ turn_no: 3, status: 'active' });
    expect(await timeline(sid)).toEqual(['0:active', '1:active', '2:active', '3:active']);

    const tooFar = await call('POST', `/api/sessions/${sid}/fork`, { turn_no: 9 });
    expect(tooFar.status).toBe(400);
    expect(tooFar.body.error.details).toEqual([{ path: 'turn_no', message: 'must be between 0 and 3' }]);
    expect((await call('POST', `/api/sessions/${sid}/fork`, { turn_no: -1 })).status).toBe(400);
  });

  it('a watching WebSocket gets timeline.changed with the session on undo, redo and retry', async () => {
    const sid = await newSession();
    await play(sid, 'I light the old brass lamp');
    const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sid}?token=${token}`);
    try {
      const undone = await call('POST', `/api/sessions/${sid}/undo`);
      const onUndo = await ws.until((e) => e.type === 'timeline.changed' && e.reason === 'undo');
      expect(onUndo).toMatchObject({ turn_no: 0, task_id: null, session_id: sid, session: undone.body });
      await call('POST', `/api/sessions/${sid}/redo`);
      expect(await ws.until((e) => e.type === 'timeline.changed' && e.reason === 'redo')).toMatchObject({ turn_no: 1, session: { turn_no: 1 } });
      const retried = await call('POST', `/api/sessions/${sid}/retry`);
      const onRetry = await ws.until((e) => e.type === 'timeline.changed' && e.reason === 'retry');
      expect(onRetry).toMatchObject({ turn_no: 0, task_id: retried.body.task_id, session: { turn_no: 0, redo_available: false } });
      // The rewind comes before the new take's events.
      const completed = await ws.until((e) => e.type === 'turn.completed' && e.task_id === retried.body.task_id);
      expect(completed.id).toBeGreaterThan(onRetry.id);
    } finally {
      ws.close();
    }
  });

  it("memories follow the timeline: an undone turn's memories leave, come back on redo, and go for good after a new action; the player's stay", async () => {
    const sid = await newSession();
    const texts = async () => ((await call('GET', `/api/sessions/${sid}/memories`)).body.memories as { text: string }[]).map((m) => m.text);
    const searched = async () => ((await call('GET', `/api/sessions/${sid}/memories?q=${encodeURIComponent('brass lamp')}`)).body.memories as { text: string }[]).map((m) => m.text);
    await play(sid, 'I light the old brass lamp');
    const fromTurn = await texts();
    expect(fromTurn.some((t) => t.includes('brass lamp'))).toBe(true);
    await call('POST', `/api/sessions/${sid}/undo`);
    expect(await texts()).toEqual([]);
    expect(await searched()).toEqual([]);
    expect((await call('POST', `/api/sessions/${sid}/memories`, { text: 'The guard sleeps after midnight' })).status).toBe(201);
    await call('POST', `/api/sessions/${sid}/redo`);
    expect((await texts()).sort()).toEqual([...fromTurn, 'The guard sleeps after midnight'].sort());
    expect((await searched()).some((t) => t.includes('brass lamp'))).toBe(true);

    await call('POST', `/api/sessions/${sid}/undo`);
    await play(sid, 'count the coins');
    const after = await texts();
    expect(after).toContain('The guard sleeps after midnight');
    expect(after.some((t) => t.includes('brass lamp'))).toBe(false);
    expect(after.some((t) => t.includes('count the coins'))).toBe(true);
    // The new turn did not recall the undone turn's memories either.
    const trace = (await call('GET', `/api/sessions/${sid}/turns/1/trace`)).body.trace as { memories: { text: string }[] };
    expect(trace.memories.map((m) => m.text)).toEqual(['The guard sleeps after midnight']);
  });
});
