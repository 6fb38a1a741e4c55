/**
 * All-in-one with the turns on a thread of their own (TURN_THREAD=on): a listening server whose
 * main thread serves HTTP and WebSockets while a worker thread runs the turns against the same
 * database (PGlite on its thread, or a PostgreSQL server). Models are a fake OpenAI-compatible
 * HTTP server. What crosses the threads: the job and its abort, the events, the result, the
 * queue calls of a shared session's line, the metrics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents, type EventSocket } from '../support/clients.js';
import type { FakeReply, FakeRequest } from '../support/fake-llm/common.js';
import { startFakeOpenAI, wantsStructuredOutput, type FakeOpenAI } from '../support/fake-llm/openai-fake.js';
import { parsePrometheusText } from '../support/prom-text.js';
import { dbTargets, eventually, testServerEnv } from '../support/test-env.js';

const DECISION = { choiceIndex: 0, variableUpdates: [], memories: [{ text: 'The lamp was lit.', importance: 4 }], summary: 'The player lit the lamp.' };
const NARRATION = 'You strike a match; the wick catches and the vault fills with light. 灯亮了，影子退到墙角。';
const SLOW: FakeReply = { text: 'word '.repeat(40).trim(), perChunkMs: 250 };
const isJudge = (req: FakeRequest) => wantsStructuredOutput(req.body);
const MODELS = { NARRATOR_MODEL: 'compat:story-model', JUDGE_MODEL: 'compat:judge-model', TURN_ATTEMPTS: '3', TURN_BACKOFF_MS: '50', NARRATION_FLUSH_MS: '0', TURN_THREAD: 'on' };

function script(fake: FakeOpenAI, narration: FakeReply): void {
  fake.respond((req) => (isJudge(req) ? { json: DECISION } : narration));
}

async function person(url: string) {
  const { token, user_id: userId } = (await api(url)('POST', '/api/auth/guest')).body as { token: string; user_id: string };
  const call = api(url, token);
  const storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id as string;
  return { token, userId, call, storyId };
}

async function watched(url: string, p: Awaited<ReturnType<typeof person>>): Promise<{ sessionId: string; ws: EventSocket }> {
  const sessionId = (await p.call('POST', '/api/sessions', { story_id: p.storyId })).body.session_id as string;
  return { sessionId, ws: await openEvents(`${url.replace('http', 'ws')}/ws/story/${sessionId}?token=${p.token}`) };
}

/** One turn, watched: every event of its task in order, and what the status route says. */
async function playOne(server: RunningServer, fake: FakeOpenAI) {
  script(fake, { text: NARRATION, perChunkMs: 5 });
  const p = await person(server.url);
  const { sessionId, ws } = await watched(server.url, p);
  try {
    const res = await p.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ task_id: expect.any(String), status: 'processing' });
    const taskId = res.body.task_id as string;
    await ws.until((e) => e.type === 'turn.completed' && e.task_id === taskId, 20_000);
    const status = (await p.call('GET', `/api/story/status/${taskId}`)).body;
    const turns = (await p.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns as { turn_no: number; response: string }[];
    return { events: ws.events.filter((e) => e.task_id === taskId), status, turns };
  } finally {
    ws.close();
  }
}

function expectWholeTurn(played: Awaited<ReturnType<typeof playOne>>): void {
  const types = played.events.map((e) => e.type);
  expect(types[0]).toBe('turn.started');
  expect(types.at(-1)).toBe('turn.completed');
  expect(types.filter((t) => t === 'turn.completed')).toHaveLength(1);
  // The narration streamed piece by piece, in order, and the ids kept increasing across threads.
  const deltas = played.events.filter((e) => e.type === 'narration.delta').map((e) => e.text as string);
  expect(deltas.length).toBeGreaterThan(1);
  expect(deltas.join('')).toBe(NARRATION);
  const ids = played.events.map((e) => e.id);
  expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  expect(played.status).toMatchObject({ status: 'completed', result: { response: NARRATION, decision: { choice_index: 0 } } });
  expect(played.turns.map((t) => t.turn_no)).toEqual([0, 1]);
}

/** A listening all-in-one server with TURN_THREAD=on on a fresh data directory, and its fake model. */
function threadServerOnDisk(models: Record<string, string>) {
  const state = {} as { fake: FakeOpenAI; server: RunningServer; dataDir: string };
  beforeAll(async () => {
    state.fake = await startFakeOpenAI();
    state.dataDir = mkdtempSync(join(tmpdir(), 'md-turn-thread-'));
    state.server = await startServer(testServerEnv({ DATA_DIR: state.dataDir, COMPAT_BASE_URL: state.fake.baseURL, ...models }), silentLogger());
  }, 60_000);
  afterAll(async () => {
    await state.server?.shutdown();
    await state.fake?.close();
    rmSync(state.dataDir, { recursive: true, force: true });
  }, 60_000);
  return state;
}

describe('turns on a thread, with PGlite on its own thread (a data directory)', () => {
  const state = threadServerOnDisk(MODELS);
  beforeEach(() => state.fake.reset());

  it('plays a turn: narration streamed in order, the decision applied, the status and the turn list agree', async () => {
    expect(state.server.runtime.turnThread).toBeDefined();
    expectWholeTurn(await playOne(state.server, state.fake));
    // Two model calls, made by the thread.
    expect(state.fake.requests.filter(isJudge)).toHaveLength(1);
    expect(state.fake.requests.filter((r) => !isJudge(r))).toHaveLength(1);
  });

  it("GET /metrics serves the thread's turn series with the main thread's process series", async () => {
    await playOne(state.server, state.fake);
    const metrics = parsePrometheusText(await (await fetch(`${state.server.url}/metrics`)).text());
    expect(metrics.value('mock_drama_turns_total', { outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('mock_drama_turn_stage_duration_seconds_count', { stage: 'narrate' })).toBeGreaterThanOrEqual(1);
    // Process metrics come once, from the main thread (the thread does not repeat them).
    expect(metrics.samples.filter((m) => m.name === 'process_cpu_seconds_total')).toHaveLength(1);
    expect(metrics.value('process_cpu_seconds_total')).toBeGreaterThan(0);
    // The turn thread is a second writer to PGlite: no session cache on either thread.
    expect(metrics.samples.some((m) => m.name === 'mock_drama_session_cache_reads_total')).toBe(false);
  });

  it('a shared session\'s line: the action waiting behind a turn is started by the thread, through the main thread\'s queue', async () => {
    script(state.fake, { text: NARRATION, perChunkMs: 20 });
    const owner = await person(state.server.url);
    const { sessionId, ws } = await watched(state.server.url, owner);
    try {
      const code = (await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'player' })).body.code as string;
      const other = await person(state.server.url);
      await other.call('POST', `/api/invites/${code}/join`);
      const sent = await Promise.all([owner, other].map((p, i) => p.call('POST', '/api/story/action', { session_id: sessionId, user_input: `action ${i}` })));
      expect(sent.map((r) => r.status)).toEqual([202, 202]);
      expect(sent.map((r) => r.body.status).sort()).toEqual(['processing', 'queued']);
      await eventually(() => (ws.events.filter((e) => e.type === 'turn.completed').length === 2 ? true : undefined), 20_000, 'both turns');
      const queued = sent.find((r) => r.body.status === 'queued')!.body.task_id as string;
      expect(ws.events.filter((e) => e.type === 'turn.completed').at(-1)!.task_id).toBe(queued);
      const turns = (await owner.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns as { turn_no: number }[];
      expect(turns.map((t) => t.turn_no)).toEqual([0, 1, 2]);
    } finally {
      ws.close();
    }
  });

  it('a thread that stops mid-turn is replaced, and the turn runs again there and commits once', async () => {
    script(state.fake, SLOW);
    const p = await person(state.server.url);
    const { sessionId, ws } = await watched(state.server.url, p);
    try {
      const taskId = (await p.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' })).body.task_id as string;
      await ws.until((e) => e.type === 'narration.delta' && e.task_id === taskId, 20_000);
      script(state.fake, { text: NARRATION, perChunkMs: 5 });
      await state.server.runtime.turnThread!.terminate();
      // The queue on the main thread saw the attempt fail as retryable and runs it on the new thread.
      await ws.until((e) => e.type === 'turn.completed' && e.task_id === taskId, 30_000);
      // The watchers heard why the turn started over, once, from the new thread.
      expect(ws.events.filter((e) => e.type === 'turn.retrying' && e.task_id === taskId)).toHaveLength(1);
      expect(ws.events.filter((e) => e.type === 'turn.started' && e.task_id === taskId)).toHaveLength(2);
      expect((await p.call('GET', `/api/story/status/${taskId}`)).body).toMatchObject({ status: 'completed', result: { response: NARRATION } });
      const turns = (await p.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns as { turn_no: number; task_id: string }[];
      expect(turns.map((t) => t.turn_no)).toEqual([0, 1]);
      expect(turns[1]!.task_id).toBe(taskId);
      // The server plays on.
      expectWholeTurn(await playOne(state.server, state.fake));
    } finally {
      ws.close();
    }
  }, 60_000);
});

describe('what crossing threads costs a turn, counted', () => {
  // The default narration window: the first delta at once, the rest of a short passage in one.
  const { NARRATION_FLUSH_MS: _window, ...models } = MODELS;
  const state = threadServerOnDisk(models);

  it('a solo turn crosses the threads only for its run, its announcement and its events (each a call and a reply)', async () => {
    script(state.fake, { text: NARRATION, perChunkMs: 2 });
    const p = await person(state.server.url);
    const { sessionId, ws } = await watched(state.server.url, p);
    try {
      const play = async () => {
        const taskId = (await p.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' })).body.task_id as string;
        await ws.until((e) => e.type === 'turn.completed' && e.task_id === taskId, 20_000);
        // The announcement's reply comes after turn.completed has reached the socket.
        await new Promise((r) => setTimeout(r, 100));
        return taskId;
      };
      await play();
      const thread = state.server.runtime.turnThread!;
      const before = thread.traffic();
      const taskIds = [await play(), await play(), await play()];
      const after = thread.traffic();
      const events = ws.events.filter((e) => taskIds.includes(e.task_id as string)).length;
      const messages = after.messagesSent - before.messagesSent + (after.messagesReceived - before.messagesReceived);
      // Per turn: run + its reply, announce + its reply, and each event's publish + its reply
      // (measured: 5 events and 14 messages a turn). Nothing else of a turn crosses.
      expect(events).toBeGreaterThanOrEqual(3 * 4);
      expect(messages, 'messages between the threads in three turns').toBeLessThanOrEqual(3 * 4 + 2 * events);
      expect(after.batchesSent - before.batchesSent).toBeLessThanOrEqual(after.messagesSent - before.messagesSent);
    } finally {
      ws.close();
    }
  });
});

describe('turns on a thread, with a PostgreSQL server and no Redis', () => {
  const postgres = dbTargets().find((t) => t.name === 'postgres')!;
  let fake: FakeOpenAI;
  let server: RunningServer;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    server = await startServer(postgres.env({ STORIES_DIR: 'tests/fixtures', JWT_SECRET: `thread-${randomBytes(16).toString('hex')}`, COMPAT_BASE_URL: fake.baseURL, ...MODELS }), silentLogger());
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await fake?.close();
    await postgres.cleanup();
  }, 60_000);

  it('plays a turn on the thread, committed once in the server database', async () => {
    expect(server.runtime.turnThread).toBeDefined();
    expectWholeTurn(await playOne(server, fake));
  });
});
