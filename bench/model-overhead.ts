/**
 * Added cost of a real-provider model call: turns against the fake OpenAI-compatible server with
 * zero provider latency, so narrate/judge timings are our own path (AI SDK, HTTP, SSE parsing,
 * context building) plus the fake's negligible work. Also: provider emit → WS client per chunk,
 * with NARRATION_FLUSH_MS=0 so chunks map 1:1 to deltas (the default window never delays a
 * turn's first delta; later text waits at most the window).
 * Usage: npx tsx bench/model-overhead.ts [--turns 40]. Prints one JSON object.
 */
import { loadEnv } from '../src/config/env.js';
import { startServer } from '../src/runtime/start-server.js';
import { silentLogger } from '../src/shared/logger.js';
import { api, openEvents } from '../tests/support/clients.js';
import { startFakeOpenAI } from '../tests/support/fake-llm/openai-fake.js';

const TURNSFlag = process.argv.indexOf('--turns');
const TURNS = TURNSFlag >= 0 ? Number(process.argv[TURNSFlag + 1]) : 40;
const fake = await startFakeOpenAI({ record: true });
const chunks = Array.from({ length: 30 }, (_, i) => `word${i} `);
fake.respond((req) => {
  const b = req.body as Record<string, unknown>;
  return b.response_format || b.tools ? { json: { choiceIndex: null, variableUpdates: [], memories: [], summary: 's' } } : { text: chunks.join(''), chunks, perChunkMs: 5 };
});
const server = await startServer(
  loadEnv({ DATA_DIR: ':memory:', PORT: '0', LOG_LEVEL: 'silent', STORIES_DIR: 'tests/fixtures', JWT_SECRET: 'overhead-secret-overhead-secret-0123456789', COMPAT_BASE_URL: fake.baseURL, NARRATOR_MODEL: 'compat:m', JUDGE_MODEL: 'compat:m', RATE_LIMIT_ACTIONS_PER_MINUTE: '0', RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP: '0', NARRATION_FLUSH_MS: '0' }),
  silentLogger(),
);
const guest = await api(server.url)('POST', '/api/auth/guest');
const call = api(server.url, guest.body.token);
const storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest.body.token}`);
const narrate: number[] = [];
const judge: number[] = [];
for (let t = 1; t <= TURNS; t++) {
  await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'hum a tune' });
  const done = await ws.until((e) => e.type === 'turn.completed' && e.turn_no === t, 20_000);
  const timings = (done.result as { timings: Record<string, number> }).timings;
  // The fake spends 29 × 5 ms between chunks of a narration; everything else is our path.
  narrate.push(timings.narrate! - 29 * 5);
  judge.push(timings.judge!);
}
const lags: number[] = [];
const written = fake.chunkLog.filter((c) => c.text !== '');
const received = ws.events.flatMap((e, i) => (e.type === 'narration.delta' ? [ws.receivedAt[i]!] : []));
for (let i = 0; i < Math.min(written.length, received.length); i++) lags.push(received[i]! - written[i]!.writtenAt);
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const round = (n: number) => Math.round(n * 100) / 100;
const warm = (xs: number[]) => xs.slice(5);
console.log(JSON.stringify({
  turns: TURNS,
  narrator_call_overhead_ms: { p50: round(q(warm(narrate), 0.5)), p99: round(q(warm(narrate), 0.99)) },
  judge_call_overhead_ms: { p50: round(q(warm(judge), 0.5)), p99: round(q(warm(judge), 0.99)) },
  provider_emit_to_ws_client_ms: { p50: round(q(lags, 0.5)), p99: round(q(lags, 0.99)) },
}));
ws.close();
await server.shutdown();
await fake.close();
process.exit(0);
