/**
 * A standalone fake OpenAI-compatible provider for benchmarks and manual runs: real HTTP and SSE
 * with model-like pacing, so the server under test does its real provider work (request building,
 * SSE parsing, structured output, embeddings) without a paid API or its variance.
 *
 *   npx tsx bench/fake-llm-server.ts --port 8799 --first-token-ms 300 --per-chunk-ms 20 --chunks 35
 *
 * Prints one JSON line on stdout once listening, e.g.
 * `{"url":"http://127.0.0.1:8799/v1","origin":"http://127.0.0.1:8799","port":8799}`; point the
 * server at it with `COMPAT_BASE_URL=<url>` (or `OPENAI_BASE_URL`). Stops on SIGTERM / SIGINT.
 *
 * Replies: prose of `--chunks` word chunks to narration requests (streamed or not); a valid
 * judge decision to structured-output requests (`response_format` json_schema / json_object, or
 * tools); deterministic unit vectors to `/v1/embeddings`.
 * @module
 */
import { startFakeOpenAI, wantsStructuredOutput, type FakeReply, type FakeRequest } from '../tests/support/fake-llm/openai-fake.js';
import { num, parseFlags, str } from './lib/args.js';

const USAGE = `Usage: npx tsx bench/fake-llm-server.ts [options]
  --port N              port to listen on (default 8799; 0 picks a free one)
  --host H              interface (default 127.0.0.1; 0.0.0.0 for containers)
  --first-token-ms X    delay before the first streamed chunk (default 300)
  --per-chunk-ms Y      delay between chunks (default 20)
  --chunks N            word chunks per narration (default 35)
  --embedding-ms X      delay before an embeddings reply (default 0)
  --dimensions N        embedding size when the request names none (default 1536)`;

/** Second-person, present-tense sentences in the narrator's register; cycled to fill N chunks. */
const PROSE = [
  'You step into the lamplit hall and the door sighs shut behind you.',
  'Rain needles the tall windows while somewhere above a clock counts the seconds.',
  'The housekeeper watches you from the stair, her keys silent in her fist.',
  'A draught carries the smell of cold ash and old paper from the library.',
  'You notice fresh mud on the carpet, leading toward the cellar door.',
  'Far off, a dog barks twice and then thinks better of it.',
  'Your candle gutters, steadies, and throws your shadow long across the boards.',
  'She clears her throat as if to speak, then only nods toward the study.',
];

/** `count` word chunks ("You ", "step ", …), starting at a different sentence per request. */
function narration(count: number, seed: number): string[] {
  const words = PROSE.flatMap((s) => s.split(' '));
  const start = PROSE.slice(0, seed % PROSE.length).reduce((n, s) => n + s.split(' ').length, 0);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`${words[(start + i) % words.length]} `);
  // End on a full stop so the passage reads as finished, whatever the cut.
  if (out.length > 0) out[out.length - 1] = `${out[out.length - 1]!.trim().replace(/[.,;:]*$/, '')}.`;
  return out;
}

/** All prompt text of a Chat Completions body (string contents and text parts). */
function promptText(body: FakeRequest['body']): string {
  const messages: { content?: unknown }[] = Array.isArray(body.messages) ? body.messages : [];
  return messages
    .map((m) => (typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map((p: { text?: string }) => p.text ?? '').join('') : ''))
    .join('\n');
}

/**
 * A decision valid against the judge's schema: no choice taken (null is always allowed, so the
 * story's choice rules can never reject it), no variable changes, and one memory of the player's
 * input, so recall and embedding writes are exercised too.
 */
function decision(body: FakeRequest['body']): Record<string, unknown> {
  const input = /<player_input[^>]*>\s*([\s\S]*?)\s*<\/player_input>/.exec(promptText(body))?.[1]?.trim() ?? '';
  const said = input && input !== '(none)' ? input.slice(0, 200) : '';
  return {
    choiceIndex: null,
    variableUpdates: [],
    memories: said ? [{ text: `The player: ${said}`, importance: 3 }] : [],
    summary: said ? `The player acted: ${said.slice(0, 120)}` : 'The scene moved on.',
  };
}

async function main(): Promise<void> {
  const flags = parseFlags(
    process.argv.slice(2),
    { port: 'value', host: 'value', 'first-token-ms': 'value', 'per-chunk-ms': 'value', chunks: 'value', 'embedding-ms': 'value', dimensions: 'value' },
    USAGE,
  );
  const chunks = Math.max(1, Math.round(num(flags, 'chunks', 35)));
  const served: Record<string, number> = {};
  const fake = await startFakeOpenAI({
    port: num(flags, 'port', 8799),
    host: str(flags, 'host', '127.0.0.1'),
    firstTokenMs: num(flags, 'first-token-ms', 300),
    perChunkMs: num(flags, 'per-chunk-ms', 20),
    embeddingLatencyMs: num(flags, 'embedding-ms', 0),
    embeddingDimensions: Math.round(num(flags, 'dimensions', 1536)),
    // No request log: a long bench run would keep every prompt in memory. Count per path instead.
    record: false,
    // As the shared fake (65 s) and real providers: connections stay open between a player's turns.
    keepAliveTimeoutMs: 65_000,
    defaultReply: (req): FakeReply => {
      served[req.path] = (served[req.path] ?? 0) + 1;
      if (wantsStructuredOutput(req.body)) return { json: decision(req.body) };
      const parts = narration(chunks, req.index);
      return { text: parts.join(''), chunks: parts };
    },
  });
  process.stdout.write(`${JSON.stringify({ url: fake.baseURL, origin: fake.url, port: fake.port })}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`fake-llm-server: ${signal}, served ${JSON.stringify(served)}\n`);
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`fake-llm-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
