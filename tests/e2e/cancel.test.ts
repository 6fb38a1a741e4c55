/**
 * Cancelling a turn (`POST /api/sessions/{id}/cancel`, and `DELETE /api/sessions/{id}` with a
 * turn running) against a listening server whose models are a fake OpenAI-compatible HTTP server
 * streaming slowly: the provider request is really cut off, watchers get `turn.failed`
 * (`cancelled`) once, nothing is committed, and the session plays on. Once all-in-one, once as a
 * web server and a worker sharing Redis and PostgreSQL (the cancel crosses processes), and once
 * all-in-one with the turns on their own thread (the cancel crosses threads).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents, type EventSocket } from '../support/clients.js';
import { TEST_REDIS_URL } from '../support/cluster.js';
import type { FakeReply, FakeRequest } from '../support/fake-llm/common.js';
import { startFakeOpenAI, wantsStructuredOutput, type FakeOpenAI } from '../support/fake-llm/openai-fake.js';
import { dbTargets, testServerEnv } from '../support/test-env.js';

const DECISION = { choiceIndex: 0, variableUpdates: [], memories: [], summary: 'The player lit the lamp.' };
/** Forty words a quarter second apart: ten seconds of narration, far longer than any test waits. */
const SLOW: FakeReply = { text: 'word '.repeat(40).trim(), perChunkMs: 250 };
const FAST: FakeReply = { text: 'You strike a match; the wick catches.' };

const isJudge = (req: FakeRequest) => wantsStructuredOutput(req.body);
const MODELS = { NARRATOR_MODEL: 'compat:story-model', JUDGE_MODEL: 'compat:judge-model', TURN_ATTEMPTS: '3', TURN_BACKOFF_MS: '50' };

/** The fake answers judges at once and narrates `narration` (switchable per phase of a test). */
function script(fake: FakeOpenAI, narration: FakeReply): void {
  fake.respond((req) => (isJudge(req) ? { json: DECISION } : narration));
}

interface Player {
  call: ReturnType<typeof api>;
  token: string;
  storyId: string;
}

async function player(url: string): Promise<Player> {
  const token = (await api(url)('POST', '/api/auth/guest')).body.token as string;
  const call = api(url, token);
  const storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id as string;
  return { call, token, storyId };
}

/** A new session of `p`'s, watched over a WebSocket on `wsBase`. */
async function watchedSession(p: Player, wsBase: string): Promise<{ sessionId: string; ws: EventSocket }> {
  const sessionId = (await p.call('POST', '/api/sessions', { story_id: p.storyId })).body.session_id as string;
  const ws = await openEvents(`${wsBase.replace('http', 'ws')}/ws/story/${sessionId}?token=${p.token}`);
  return { sessionId, ws };
}

/** Act, and wait until the narration is streaming (the narrator's request is open at the fake). */
async function actAndStream(p: Player, fake: FakeOpenAI, sessionId: string, ws: EventSocket): Promise<{ taskId: string; narrator: FakeRequest }> {
  const res = await p.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
  expect(res.status).toBe(202);
  const taskId = res.body.task_id as string;
  await ws.until((e) => e.type === 'narration.delta' && e.task_id === taskId, 20_000);
  const narrator = fake.requests.find((r) => !isJudge(r));
  expect(narrator, 'the narrator was called').toBeDefined();
  return { taskId, narrator: narrator! };
}

/**
 * The whole story of one cancel: 200 failed/cancelled, the provider's request cut off, one
 * `turn.failed` on the socket, no turn committed, and the next action accepted and completed.
 */
async function cancelAndPlayOn(p: Player, fake: FakeOpenAI, wsBase: string): Promise<void> {
  script(fake, SLOW);
  const { sessionId, ws } = await watchedSession(p, wsBase);
  try {
    const { taskId, narrator } = await actAndStream(p, fake, sessionId, ws);
    const cancelled = await p.call('POST', `/api/sessions/${sessionId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ task_id: taskId, status: 'failed', error: expect.objectContaining({ code: 'cancelled' }) });
    expect(await ws.until((e) => e.type === 'turn.failed' && e.task_id === taskId)).toMatchObject({ error: { code: 'cancelled' } });
    // The model call really stopped: the fake saw its connection close mid-stream.
    expect(await narrator.ended).toBe('aborted');
    expect(fake.requests.filter(isJudge)).toHaveLength(0);
    expect((await p.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns.map((t: { turn_no: number }) => t.turn_no)).toEqual([0]);
    expect((await p.call('GET', `/api/story/status/${taskId}`)).body).toMatchObject({ status: 'failed', result: { code: 'cancelled' } });

    script(fake, FAST);
    const next = await p.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
    expect(next.status).toBe(202);
    await ws.until((e) => e.type === 'turn.completed' && e.task_id === next.body.task_id, 20_000);
    expect((await p.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns.map((t: { turn_no: number }) => t.turn_no)).toEqual([0, 1]);
    // Never retried, announced once.
    expect(ws.events.filter((e) => e.task_id === taskId && e.type === 'turn.started')).toHaveLength(1);
    expect(ws.events.filter((e) => e.task_id === taskId && e.type === 'turn.failed')).toHaveLength(1);
  } finally {
    ws.close();
  }
}

/**
 * Stopping a retry gives the player back the take they asked to replace: same turn number, same
 * passage, announced with `timeline.changed` (`restore`) before the retry's `turn.failed`.
 */
async function cancelRetryRestores(p: Player, fake: FakeOpenAI, wsBase: string): Promise<void> {
  script(fake, FAST);
  const { sessionId, ws } = await watchedSession(p, wsBase);
  try {
    const first = await p.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
    await ws.until((e) => e.type === 'turn.completed' && e.task_id === first.body.task_id, 20_000);
    const turnOne = async () => (await p.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns.find((t: { turn_no: number }) => t.turn_no === 1);
    const before = await turnOne();
    expect(before).toBeDefined();
    fake.reset();
    script(fake, SLOW);
    const retry = await p.call('POST', `/api/sessions/${sessionId}/retry`);
    expect(retry.status).toBe(202);
    const retryTask = retry.body.task_id as string;
    await ws.until((e) => e.type === 'narration.delta' && e.task_id === retryTask, 20_000);
    expect((await p.call('GET', `/api/sessions/${sessionId}`)).body.turn_no).toBe(0);
    const cancelled = await p.call('POST', `/api/sessions/${sessionId}/cancel`);
    expect(cancelled.body).toMatchObject({ task_id: retryTask, status: 'failed', error: { code: 'cancelled' } });
    const failed = await ws.until((e) => e.type === 'turn.failed' && e.task_id === retryTask);
    const restored = ws.events.find((e) => e.type === 'timeline.changed' && e.reason === 'restore');
    expect(restored, 'timeline.changed (restore) was published').toBeDefined();
    expect(ws.events.indexOf(restored!)).toBeLessThan(ws.events.indexOf(failed));
    expect((await p.call('GET', `/api/sessions/${sessionId}`)).body.turn_no).toBe(1);
    expect(await turnOne()).toMatchObject({ task_id: before.task_id, response: before.response });
    const all = (await p.call('GET', `/api/sessions/${sessionId}/turns?include=all`)).body.turns;
    expect(all.map((t: { turn_no: number; state: string }) => `${t.turn_no}:${t.state}`)).toEqual(['0:active', '1:active']);
  } finally {
    ws.close();
  }
}

describe('cancelling turns (all-in-one server)', () => {
  let fake: FakeOpenAI;
  let server: RunningServer;
  let p: Player;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    server = await startServer(testServerEnv({ COMPAT_BASE_URL: fake.baseURL, ...MODELS }), silentLogger());
    p = await player(server.url);
  });
  afterAll(async () => {
    await server?.shutdown();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it('stops a streaming turn: provider request aborted, turn.failed (cancelled) once, nothing committed, the next action plays', async () => {
    await cancelAndPlayOn(p, fake, server.url);
  });

  it('stopping a retry puts back the take it was replacing', async () => {
    await cancelRetryRestores(p, fake, server.url);
  });

  it('deleting a session with a turn running aborts the provider request and fails the turn as cancelled', async () => {
    script(fake, SLOW);
    const { sessionId, ws } = await watchedSession(p, server.url);
    try {
      const { taskId, narrator } = await actAndStream(p, fake, sessionId, ws);
      expect((await p.call('DELETE', `/api/sessions/${sessionId}`)).status).toBe(204);
      expect(await narrator.ended).toBe('aborted');
      expect(await server.runtime.queue.getStatus(taskId)).toMatchObject({ state: 'failed', error: { code: 'cancelled' } });
      expect((await p.call('GET', `/api/sessions/${sessionId}`)).status).toBe(404);
      expect(await server.runtime.deps.store.turns.getTurnByTask(taskId)).toBeNull();
    } finally {
      ws.close();
    }
  });

  it('409 no_turn_in_progress with nothing in flight (before any action, and after a turn completed)', async () => {
    script(fake, FAST);
    const { sessionId, ws } = await watchedSession(p, server.url);
    try {
      const idle = await p.call('POST', `/api/sessions/${sessionId}/cancel`);
      expect(idle.status).toBe(409);
      expect(idle.body.error.code).toBe('no_turn_in_progress');
      const acted = await p.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
      await ws.until((e) => e.type === 'turn.completed' && e.task_id === acted.body.task_id, 20_000);
      const after = await p.call('POST', `/api/sessions/${sessionId}/cancel`);
      expect(after.status).toBe(409);
      expect(after.body.error.code).toBe('no_turn_in_progress');
      expect((await p.call('GET', `/api/story/status/${acted.body.task_id}`)).body.status).toBe('completed');
    } finally {
      ws.close();
    }
  });

  it("404 for someone else's session or an unknown one, and the owner's turn plays on", async () => {
    script(fake, { text: 'word '.repeat(8).trim(), perChunkMs: 150 });
    const { sessionId, ws } = await watchedSession(p, server.url);
    try {
      const { taskId, narrator } = await actAndStream(p, fake, sessionId, ws);
      const other = await player(server.url);
      const refused = await other.call('POST', `/api/sessions/${sessionId}/cancel`);
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('session_not_found');
      expect((await other.call('POST', `/api/sessions/${randomBytes(8).toString('hex')}/cancel`)).status).toBe(404);
      expect((await api(server.url)('POST', `/api/sessions/${sessionId}/cancel`)).status).toBe(401);
      await ws.until((e) => e.type === 'turn.completed' && e.task_id === taskId, 20_000);
      expect(ws.events.some((e) => e.type === 'turn.failed')).toBe(false);
      // The narration ran to its end (what an uncancelled call looks like at the provider).
      expect(await narrator.ended).toBe('finished');
    } finally {
      ws.close();
    }
  });
});

describe('cancelling turns across processes (web server + worker on Redis and PostgreSQL)', () => {
  const postgres = dbTargets().find((t) => t.name === 'postgres')!;
  let fake: FakeOpenAI;
  let web: RunningServer;
  let worker: RunningServer;
  let p: Player;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const env: Env = postgres.env({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `mdcancel:${randomBytes(4).toString('hex')}`,
      STORIES_DIR: 'tests/fixtures',
      JWT_SECRET: 'cancel-redis-secret-cancel-redis-secret-0123',
      COMPAT_BASE_URL: fake.baseURL,
      ...MODELS,
    });
    // One after the other: both install the shipped stories into the same database.
    worker = await startServer(env, silentLogger(), 'all');
    web = await startServer(env, silentLogger(), 'serve');
    p = await player(web.url);
  }, 60_000);
  afterAll(async () => {
    await web?.shutdown();
    await worker?.shutdown();
    await fake?.close();
    await postgres.cleanup();
  }, 60_000);
  beforeEach(() => fake.reset());

  it('stopping a retry on the worker puts back the take it was replacing', async () => {
    await cancelRetryRestores(p, fake, web.url);
  });

  it('a cancel sent to the web server stops the turn running on the worker', async () => {
    await cancelAndPlayOn(p, fake, web.url);
  }, 60_000);
});

describe('cancelling turns that run on the all-in-one turn thread (TURN_THREAD=on)', () => {
  let fake: FakeOpenAI;
  let server: RunningServer;
  let p: Player;
  let dataDir: string;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    dataDir = mkdtempSync(join(tmpdir(), 'md-cancel-thread-'));
    server = await startServer(testServerEnv({ DATA_DIR: dataDir, TURN_THREAD: 'on', COMPAT_BASE_URL: fake.baseURL, ...MODELS }), silentLogger());
    expect(server.runtime.turnThread, 'the turns run on a thread').toBeDefined();
    p = await player(server.url);
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);
  beforeEach(() => fake.reset());

  it('a cancel on the main thread stops the turn running on the turn thread', async () => {
    await cancelAndPlayOn(p, fake, server.url);
  }, 60_000);

  it('stopping a retry on the turn thread puts back the take it was replacing', async () => {
    await cancelRetryRestores(p, fake, server.url);
  }, 60_000);
});
