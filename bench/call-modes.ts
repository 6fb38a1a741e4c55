/**
 * Split (narrator call + judge call) against single-call mode (one structured call writes both),
 * through the whole server against the fake OpenAI-compatible server with a realistic pace: a
 * first-token delay, then a fixed time per character of output in both modes (so JSON framing
 * costs what it would cost a real model). Per mode: the client's wait for the first narration
 * token and for the finished turn, the provider requests and tokens per turn.
 *
 *   npx tsx bench/call-modes.ts [--turns 20] [--first-token-ms 400] [--ms-per-char 4]
 * Prints one JSON object.
 * @module
 */
import { loadEnv } from '../src/config/env.js';
import { startServer } from '../src/runtime/start-server.js';
import { silentLogger } from '../src/shared/logger.js';
import { api, openEvents } from '../tests/support/clients.js';
import type { FakeReply, FakeRequest } from '../tests/support/fake-llm/common.js';
import { startFakeOpenAI } from '../tests/support/fake-llm/openai-fake.js';
import { log, num, parseFlags } from './lib/args.js';
import { machine } from './lib/machine.js';
import { summarize } from './lib/stats.js';

const USAGE = 'npx tsx bench/call-modes.ts [--turns 20] [--first-token-ms 400] [--ms-per-char 4]';
const flags = parseFlags(process.argv.slice(2), { turns: 'value', 'first-token-ms': 'value', 'ms-per-char': 'value' }, USAGE);
const TURNS = num(flags, 'turns', 20);
const FIRST_TOKEN_MS = num(flags, 'first-token-ms', 400);
const MS_PER_CHAR = num(flags, 'ms-per-char', 4);
/** The fake streams JSON in 16-character chunks (tests/support/fake-llm/common.ts splitFixed). */
const JSON_CHUNK_CHARS = 16;

const NARRATION =
  'The wind drops for a moment and you hear it plainly now: a bell, far below the rocks, ringing under the water. The keeper stops on the stair, lamp raised, and looks at you as if you had asked a question he has been dreading all night.';
const WORDS = NARRATION.split(/(?<= )/);
const DECISION = { choiceIndex: null, variableUpdates: [], memories: [{ text: 'A bell rings under the water below Gull Rock.', importance: 6 }], summary: 'The player hears the drowned bell.' };

function structured(req: FakeRequest): boolean {
  const b = req.body as Record<string, unknown>;
  return b.response_format !== undefined || b.tools !== undefined;
}

function reply(mode: 'split' | 'single') {
  return (req: FakeRequest): FakeReply => {
    if (!structured(req)) {
      return { text: NARRATION, chunks: WORDS, firstTokenMs: FIRST_TOKEN_MS, perChunkMs: (NARRATION.length / WORDS.length) * MS_PER_CHAR };
    }
    const json = mode === 'single' ? { narration: NARRATION, decision: DECISION } : DECISION;
    return { json, firstTokenMs: FIRST_TOKEN_MS, perChunkMs: JSON_CHUNK_CHARS * MS_PER_CHAR };
  };
}

async function runMode(mode: 'split' | 'single') {
  const fake = await startFakeOpenAI();
  fake.respond(reply(mode));
  const server = await startServer(
    loadEnv({
      DATA_DIR: ':memory:', PORT: '0', LOG_LEVEL: 'silent', STORIES_DIR: 'tests/fixtures', COMPAT_BASE_URL: fake.baseURL,
      NARRATOR_MODEL: 'compat:story-model', JUDGE_MODEL: 'compat:story-model', MODEL_CALL_MODE: mode,
      RATE_LIMIT_ACTIONS_PER_MINUTE: '0', RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP: '0',
    }),
    silentLogger(),
  );
  try {
    const guest = await api(server.url)('POST', '/api/auth/guest');
    const call = api(server.url, guest.body.token);
    const storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
    const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest.body.token}`);
    const firstToken: number[] = [];
    const total: number[] = [];
    const tokens: number[] = [];
    for (let t = 1; t <= TURNS; t++) {
      const from = ws.events.length;
      const t0 = Date.now(); // receivedAt is wall-clock (Date.now())
      await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'listen to the wind' });
      const done = await ws.until((e) => (e.type === 'turn.completed' || e.type === 'turn.failed') && e.turn_no === t, 60_000);
      if (done.type !== 'turn.completed') throw new Error(`turn ${t} failed: ${JSON.stringify(done.error)}`);
      const firstDelta = ws.events.findIndex((e, i) => i >= from && e.type === 'narration.delta');
      firstToken.push(ws.receivedAt[firstDelta]! - t0);
      total.push(ws.receivedAt[ws.events.length - 1]! - t0);
      const calls = (done.result as { usage: { calls: { inputTokens?: number; outputTokens?: number }[] } }).usage.calls;
      tokens.push(calls.reduce((n, c) => n + (c.inputTokens ?? 0) + (c.outputTokens ?? 0), 0));
    }
    ws.close();
    log(`${mode}: first token p50 ${summarize(firstToken)!.p50} ms, turn p50 ${summarize(total)!.p50} ms`);
    return {
      clientFirstTokenMs: summarize(firstToken),
      turnMs: summarize(total),
      providerRequestsPerTurn: fake.requests.length / TURNS,
      tokensPerTurn: summarize(tokens),
    };
  } finally {
    await server.shutdown();
    await fake.close();
  }
}

const split = await runMode('split');
const single = await runMode('single');
process.stdout.write(`${JSON.stringify({ bench: 'call-modes', machine: machine(), turns: TURNS, firstTokenMs: FIRST_TOKEN_MS, msPerChar: MS_PER_CHAR, narrationChars: NARRATION.length, split, single }, null, 2)}\n`);
process.exit(0);
