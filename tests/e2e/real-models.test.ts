/**
 * Real providers through the AI SDK against fake provider HTTP servers (real HTTP, real SSE):
 * the whole server, WebSocket included, with NARRATOR_MODEL / JUDGE_MODEL pointing at the fakes.
 */
import { testServerEnv } from '../support/test-env.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents, type EventSocket } from '../support/clients.js';
import { startFakeAnthropic } from '../support/fake-llm/anthropic-fake.js';
import type { FakeRequest } from '../support/fake-llm/common.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-fake.js';

type Fake = Awaited<ReturnType<typeof startFakeOpenAI>>;

/** A judge call asks for structured output: OpenAI response_format/tools, Anthropic output_config/tools. */
function wantsStructuredOutput(body: unknown): boolean {
  const b = (body ?? {}) as Record<string, unknown>;
  return b.response_format !== undefined || b.tools !== undefined || b.output_config !== undefined;
}

/** A new guest on `url` plays one action on the vault story, watched over a WebSocket, to its end. */
async function guestPlaysOne(url: string): Promise<{ ws: EventSocket; end: Record<string, any> }> {
  const guest = (await api(url)('POST', '/api/auth/guest')).body.token as string;
  const call = api(url, guest);
  const storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
  const ws = await openEvents(`${url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest}`);
  await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
  const end = await ws.until((e) => e.type === 'turn.completed' || e.type === 'turn.failed', 20_000);
  ws.close();
  return { ws, end };
}

const DECISION = { choiceIndex: 0, variableUpdates: [], memories: [{ text: 'The lamp was lit.', importance: 4 }], summary: 'The player lit the lamp.' };
const PASSAGE = ['You ', 'strike ', 'a ', 'match; ', 'the ', 'wick ', 'catches.'];

describe('real providers against fake HTTP servers', () => {
  let primary: Fake;
  let backup: Fake;
  let anthropic: Awaited<ReturnType<typeof startFakeAnthropic>>;
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let token: string;
  let storyId: string;

  const isJudge = (req: FakeRequest) => wantsStructuredOutput(req.body as never);

  beforeAll(async () => {
    [primary, backup, anthropic] = await Promise.all([startFakeOpenAI(), startFakeOpenAI(), startFakeAnthropic()]);
    const env = testServerEnv({
      JWT_SECRET: 'models-secret-models-secret-0123456789abc',
      COMPAT_BASE_URL: primary.baseURL,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: backup.baseURL,
      NARRATOR_MODEL: 'compat:story-model,openai:gpt-4o-mini',
      JUDGE_MODEL: 'compat:judge-model',
      MODEL_MAX_RETRIES: '2',
      NARRATOR_FIRST_TOKEN_TIMEOUT_MS: '1500',
      TURN_ATTEMPTS: '1',
      MODEL_PRICES: JSON.stringify({ 'story-model': { input: 1, output: 2 }, 'judge-model': { input: 3, output: 4 } }),
      // One delta per provider chunk: the tests below match chunks to deltas (emit → receive lag).
      NARRATION_FLUSH_MS: '0',
    });
    server = await startServer(env, silentLogger());
    const guest = await api(server.url)('POST', '/api/auth/guest');
    token = guest.body.token;
    call = api(server.url, token);
    storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  });
  afterAll(async () => {
    await server?.shutdown();
    await Promise.all([primary?.close(), backup?.close(), anthropic?.close()]);
  });
  beforeEach(() => {
    for (const f of [primary, backup]) {
      f.reset();
      f.respond((req) => (isJudge(req) ? { json: DECISION, usage: { inputTokens: 100, outputTokens: 20 } } : { text: PASSAGE.join(''), chunks: PASSAGE, usage: { inputTokens: 200, outputTokens: 7 } }));
    }
  });

  it('merges tokens that arrive faster than NARRATION_FLUSH_MS into fewer deltas: the first at once, nothing lost or reordered', async () => {
    const tokens = Array.from({ length: 40 }, (_, i) => `t${i} `);
    primary.respond((req) => (isJudge(req) ? { json: DECISION } : { text: tokens.join(''), chunks: tokens, perChunkMs: 2 }));
    // A server with the default window (this file's shared one sends every chunk as it comes).
    const merging = await startServer(testServerEnv({ JWT_SECRET: 'merge-secret-merge-secret-0123456789abcd', COMPAT_BASE_URL: primary.baseURL, NARRATOR_MODEL: 'compat:story-model', JUDGE_MODEL: 'compat:judge-model' }), silentLogger());
    const { ws, end } = await guestPlaysOne(merging.url).finally(() => merging.shutdown());
    expect(end.type).toBe('turn.completed');
    const deltas = ws.events.filter((e) => e.type === 'narration.delta').map((e) => e.text as string);
    expect(deltas.join('')).toBe(tokens.join(''));
    expect(deltas[0]).toBe(tokens[0]);
    // 40 tokens 2 ms apart (~80 ms) in the default window (NARRATION_FLUSH_MS): a handful of frames, not 40.
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.length).toBeLessThan(15);
  });

  async function playOne(input = 'light the lamp'): Promise<{ ws: EventSocket; end: Record<string, any> }> {
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
    const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${token}`);
    const res = await call('POST', '/api/story/action', { session_id: sessionId, user_input: input });
    expect(res.status).toBe(202);
    const end = await ws.until((e) => e.type === 'turn.completed' || e.type === 'turn.failed', 20_000);
    ws.close();
    return { ws, end };
  }

  it('streams the provider tokens to the WebSocket client in order, and accounts the turn', async () => {
    primary.respond((req) => (isJudge(req) ? { json: DECISION, usage: { inputTokens: 100, outputTokens: 20 } } : { text: PASSAGE.join(''), chunks: PASSAGE, perChunkMs: 30, usage: { inputTokens: 200, outputTokens: 7 } }));
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
    const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${token}`);
    await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
    const done = await ws.until((e) => e.type === 'turn.completed', 20_000);
    ws.close();
    const received = ws.events.flatMap((e, i) => (e.type === 'narration.delta' ? [{ text: e.text as string, at: ws.receivedAt[i]! }] : []));
    const deltas = ws.events.filter((e) => e.type === 'narration.delta').map((e) => e.text);
    expect(deltas).toEqual(PASSAGE);
    const result = done.result as Record<string, any>;
    expect(result.decision.choice_index).toBe(0);
    expect(result.updated_state.text).toContain('The lamp flares');
    expect(result.usage.calls).toEqual([
      expect.objectContaining({ role: 'narrator', modelId: expect.stringContaining('story-model'), inputTokens: 200, outputTokens: 7 }),
      expect.objectContaining({ role: 'judge', inputTokens: 100, outputTokens: 20 }),
    ]);
    // story-model: 200 in × $1 + 7 out × $2; judge-model: 100 × $3 + 20 × $4 (per million tokens)
    expect(result.usage.costUsd).toBeCloseTo((200 * 1 + 7 * 2 + 100 * 3 + 20 * 4) / 1e6, 10);
    const usage = await call('GET', `/api/sessions/${sessionId}/usage`);
    expect(usage.body.session).toMatchObject({ turns: 1, tokens: 327 });
    expect(usage.body.session.costUsd).toBeCloseTo(result.usage.costUsd, 10);
    // Provider emit → client receive, on one machine clock (reported in the notes).
    const emitted = primary.chunkLog.filter((c) => c.text !== '');
    const lags = received.map((r, i) => r.at - (emitted[i]?.writtenAt ?? r.at));
    expect(lags.length).toBe(PASSAGE.length);
    console.info(`first token: provider→client ${lags[0]!.toFixed(1)} ms; median chunk ${[...lags].sort((a, b) => a - b)[Math.floor(lags.length / 2)]!.toFixed(1)} ms`);
    const trace = await call('GET', `/api/sessions/${sessionId}/turns/1/trace`);
    expect(trace.status).toBe(200);
    expect(JSON.stringify(trace.body.trace)).toContain('judge-model');
  });

  it('a judge answer that fails validation gets one repair request, then the offline judge decides', async () => {
    primary.respond((req) => (isJudge(req) ? { json: { choiceIndex: 42, variableUpdates: [], memories: [], summary: 'x' } } : { text: 'You look around.' }));
    const { end } = await playOne('light the old brass lamp');
    expect(end.type).toBe('turn.completed');
    const usage = end.result.usage;
    expect(usage.judgeFellBack).toBe(true);
    expect(usage.calls.map((c: { role: string }) => c.role)).toEqual(['narrator', 'judge', 'judge-repair', 'judge-fallback']);
    const judgeRequests = primary.requests.filter(isJudge);
    expect(judgeRequests).toHaveLength(2);
    expect(JSON.stringify(judgeRequests[1]!.body)).toContain('not on offer');
    // The offline judge matched the input to the offered choice.
    expect(end.result.decision.choice_index).toBe(0);
  });

  it('a repaired answer is used and recorded as repaired', async () => {
    let judgeCalls = 0;
    primary.respond((req) => (isJudge(req) ? (judgeCalls++ === 0 ? { json: { choiceIndex: 'zero' } } : { json: DECISION }) : { text: 'You act.' }));
    const { end } = await playOne();
    expect(end.result.usage).toMatchObject({ judgeRepaired: true, judgeFellBack: false });
  });

  it('honours Retry-After on a 429 and retries a 500', async () => {
    let narratorCalls = 0;
    primary.respond((req) => {
      if (isJudge(req)) return { json: DECISION };
      narratorCalls += 1;
      if (narratorCalls === 1) return { status: 429, headers: { 'retry-after-ms': '50' } };
      return { text: 'After a pause, you act.' };
    });
    const started = Date.now();
    const { end } = await playOne();
    expect(end.type).toBe('turn.completed');
    expect(narratorCalls).toBe(2);
    expect(Date.now() - started).toBeLessThan(1500);
    let judgeCalls = 0;
    primary.respond((req) => (isJudge(req) ? (judgeCalls++ === 0 ? { status: 500 } : { json: DECISION }) : { text: 'You act.' }));
    const second = await playOne();
    expect(second.end.type).toBe('turn.completed');
    expect(judgeCalls).toBe(2);
  });

  it('falls back to the next model in the chain when the first is failing', async () => {
    primary.respond((req) => (isJudge(req) ? { json: DECISION } : { status: 503, headers: { 'retry-after-ms': '10' } }));
    backup.respond(() => ({ text: 'The backup narrator speaks.' }));
    const { end } = await playOne();
    expect(end.type).toBe('turn.completed');
    expect(end.result.response).toBe('The backup narrator speaks.');
    expect(backup.requests).toHaveLength(1);
    // The failing model was retried first (MODEL_MAX_RETRIES=2), then the chain moved on.
    expect(primary.requests.filter((r) => !isJudge(r))).toHaveLength(3);
  });

  it('a stream that stalls past the first-token timeout fails the turn with model_unavailable, not a hang', async () => {
    primary.respond((req) => (isJudge(req) ? { json: DECISION } : { stall: true }));
    backup.respond(() => ({ stall: true }));
    const started = Date.now();
    const { end } = await playOne();
    expect(end.type).toBe('turn.failed');
    expect(end.error.code).toBe('model_unavailable');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("uses a story's preferred narrator model, and the default when its provider is not configured", async () => {
    const ink = (tag: string) => `${tag}\n-> hall\n=== hall ===\nA quiet hall.\n+ [Light the lamp] -> lit\n=== lit ===\nLight.\n-> END\n`;
    const play = async (source: string) => {
      const story = await call('POST', '/api/stories', { title: 'Preferring', source });
      expect(story.status).toBe(201);
      const sessionId = (await call('POST', '/api/sessions', { story_id: story.body.id })).body.session_id;
      const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${token}`);
      await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
      const end = await ws.until((e) => e.type === 'turn.completed' || e.type === 'turn.failed', 20_000);
      ws.close();
      return end;
    };
    backup.respond((req) => (isJudge(req) ? { json: DECISION } : { text: 'The preferred narrator speaks.' }));
    const preferred = await play(ink('# narrator_model: openai:gpt-4o-mini'));
    expect((preferred.result as { response: string }).response).toBe('The preferred narrator speaks.');
    expect(backup.requests.filter((r) => !isJudge(r))).toHaveLength(1);
    // No ANTHROPIC_API_KEY here: the story still plays, on the configured default.
    const unavailable = await play(ink('# narrator_model: anthropic:claude-3-5-haiku-latest'));
    expect(unavailable.type).toBe('turn.completed');
    expect((unavailable.result as { response: string }).response).toBe(PASSAGE.join(''));
  });

  it('a provider that is down fails the turn clearly', async () => {
    primary.respond((req) => (isJudge(req) ? { hangUp: true } : { text: 'ok' }));
    const { end } = await playOne();
    expect(end.type).toBe('turn.failed');
    expect(end.error.code).toBe('model_unavailable');
  });
});

describe('Anthropic Messages against the fake', () => {
  it('streams a narration and returns a structured judge decision', async () => {
    const fake = await startFakeAnthropic();
    fake.respond((req) => (wantsStructuredOutput(req.body as never) ? { json: DECISION } : { text: 'Rain on the glass.', chunks: ['Rain ', 'on ', 'the ', 'glass.'] }));
    const server = await startServer(
      testServerEnv({
        JWT_SECRET: 'anthropic-secret-anthropic-secret-0123456789',
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: fake.baseURL,
        NARRATOR_MODEL: 'anthropic:claude-3-5-haiku-latest',
        JUDGE_MODEL: 'anthropic:claude-3-5-haiku-latest',
        // Each provider chunk as its own delta, so the chunk boundaries can be checked.
        NARRATION_FLUSH_MS: '0',
      }),
      silentLogger(),
    );
    try {
      const { ws, end: done } = await guestPlaysOne(server.url);
      expect(done.type).toBe('turn.completed');
      expect(ws.events.filter((e) => e.type === 'narration.delta').map((e) => e.text)).toEqual(['Rain ', 'on ', 'the ', 'glass.']);
      expect((done.result as { decision: { choice_index: number } }).decision.choice_index).toBe(0);
      expect(fake.requests[0]!.headers['x-api-key']).toBe('test-key');
    } finally {
      await server.shutdown();
      await fake.close();
    }
  });
});
