/**
 * Single-call mode (MODEL_CALL_MODE=single): one structured call writes the passage and the
 * decision. Against fake OpenAI-compatible and Anthropic HTTP servers, the whole server running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents } from '../support/clients.js';
import { startFakeAnthropic } from '../support/fake-llm/anthropic-fake.js';
import type { FakeReply } from '../support/fake-llm/common.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-fake.js';
import { testServerEnv } from '../support/test-env.js';

const DECISION = { choiceIndex: 0, variableUpdates: [], memories: [{ text: 'The lamp was lit.', importance: 4 }], summary: 'The player lit the lamp.' };
const NARRATION = 'You strike a match; the wick catches and the vault fills with a low, yellow light. 灯亮了。';

async function playOneTurn(server: RunningServer, input: string) {
  const guest = await api(server.url)('POST', '/api/auth/guest');
  const call = api(server.url, guest.body.token);
  const storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
  const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest.body.token}`);
  expect((await call('POST', '/api/story/action', { session_id: sessionId, user_input: input })).status).toBe(202);
  const end = await ws.until((e) => e.type === 'turn.completed' || e.type === 'turn.failed', 20_000);
  ws.close();
  return { end: end as Record<string, any>, deltas: ws.events.filter((e) => e.type === 'narration.delta').map((e) => e.text as string) };
}

describe('single-call mode against an OpenAI-compatible server', () => {
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
  let server: RunningServer;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    server = await startServer(
      // Each forwarded piece as its own delta (no coalescing), to see the JSON parsed as it grows.
      testServerEnv({ COMPAT_BASE_URL: fake.baseURL, NARRATOR_MODEL: 'compat:story-model', JUDGE_MODEL: 'compat:unused-judge', MODEL_CALL_MODE: 'single', TURN_ATTEMPTS: '1', NARRATION_FLUSH_MS: '0' }),
      silentLogger(),
    );
  });
  afterAll(async () => {
    await server?.shutdown();
    await fake?.close();
  });

  it('streams the narration out of the structured reply and takes the decision from the same call', async () => {
    fake.reset();
    fake.respond((): FakeReply => ({ json: { narration: NARRATION, decision: DECISION }, perChunkMs: 5, usage: { inputTokens: 300, outputTokens: 60 } }));
    const { end, deltas } = await playOneTurn(server, 'light the lamp');
    expect(end.type).toBe('turn.completed');
    // The passage arrived piece by piece, in order, and nothing but the passage was streamed. (How
    // many pieces depends on how the socket groups the fake's chunks: on a busy machine, a few.)
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(NARRATION);
    expect(end.result.response).toBe(NARRATION);
    expect(end.result.decision.choice_index).toBe(0);
    expect(end.result.decision.memories).toEqual([{ text: 'The lamp was lit.', importance: 4 }]);
    // One request, asking for structured output, named by the narrator's model; its tokens counted once.
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body.model).toBe('story-model');
    expect(fake.requests[0]!.body.response_format?.type ?? (fake.requests[0]!.body.tools ? 'tools' : undefined)).toBeDefined();
    const calls = end.result.usage.calls as { role: string; inputTokens?: number; outputTokens?: number }[];
    expect(calls.reduce((n, c) => n + (c.inputTokens ?? 0) + (c.outputTokens ?? 0), 0)).toBe(360);
  });

  it('a decision that fails validation gets one separate repair call, then the offline judge decides', async () => {
    fake.reset();
    fake.respond((req): FakeReply =>
      req.index === 0 ? { json: { narration: 'You look around.', decision: { ...DECISION, choiceIndex: 42 } } } : { json: { ...DECISION, choiceIndex: 99 } },
    );
    const { end } = await playOneTurn(server, 'light the old brass lamp');
    expect(end.type).toBe('turn.completed');
    expect(end.result.usage).toMatchObject({ judgeFellBack: true });
    expect(fake.requests).toHaveLength(2);
    expect(JSON.stringify(fake.requests[1]!.body)).toContain('not on offer');
    expect(end.result.decision.choice_index).toBe(0);
  });

  it('a reply that is not JSON at all still fails over to a judge call, not a crashed turn', async () => {
    fake.reset();
    fake.respond((req): FakeReply => (req.index === 0 ? { text: 'I refuse to answer in JSON.' } : { json: DECISION }));
    const { end } = await playOneTurn(server, 'light the lamp');
    expect(end.type).toBe('turn.completed');
    expect(end.result.decision.choice_index).toBe(0);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('single-call mode against Anthropic Messages', () => {
  it('streams the narration from the JSON reply', async () => {
    const fake = await startFakeAnthropic();
    fake.respond((): FakeReply => ({ json: { narration: NARRATION, decision: DECISION }, perChunkMs: 2 }));
    const server = await startServer(
      testServerEnv({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.baseURL, NARRATOR_MODEL: 'anthropic:claude-3-5-haiku-latest', MODEL_CALL_MODE: 'single', NARRATION_FLUSH_MS: '0' }),
      silentLogger(),
    );
    try {
      const { end, deltas } = await playOneTurn(server, 'light the lamp');
      expect(end.type).toBe('turn.completed');
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe(NARRATION);
      expect(end.result.decision.choice_index).toBe(0);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await server.shutdown();
      await fake.close();
    }
  });
});
