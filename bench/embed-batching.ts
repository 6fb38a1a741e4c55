/**
 * Effect of embedding batching (EMBED_BATCH_WINDOW_MS): N turns' worth of concurrent embed calls
 * against the fake OpenAI embeddings endpoint with a per-request latency, through the real AI SDK
 * provider, with and without the BatchingEmbedder. Usage: npx tsx bench/embed-batching.ts
 * [--calls 200 --latency-ms 40]. Prints one JSON object.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { BatchingEmbedder } from '../src/llm/batching-embedder.js';
import { createEmbedder } from '../src/llm/embedder.js';
import { startFakeOpenAI } from '../tests/support/fake-llm/openai-fake.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const CALLS = arg('--calls', 200);
const LATENCY = arg('--latency-ms', 40);
const fake = await startFakeOpenAI({ embeddingLatencyMs: LATENCY, record: true });
const model = createOpenAI({ apiKey: 'x', baseURL: fake.baseURL }).embedding('text-embedding-3-small');
const plain = createEmbedder({ model, dimensions: 256, providerOptions: { openai: { dimensions: 256 } } });

async function run(label: string, embedder: { embed(t: string[]): Promise<number[][]> }) {
  fake.reset();
  const latencies: number[] = [];
  const started = performance.now();
  // Each "turn" embeds the player's input, staggered the way concurrent turns arrive.
  await Promise.all(
    Array.from({ length: CALLS }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i % 50) * 2));
      const t0 = performance.now();
      await embedder.embed([`player input number ${i} about the lamp and the sea`]);
      latencies.push(performance.now() - t0);
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    label,
    provider_requests: fake.requests.filter((r) => r.path.endsWith('/embeddings')).length,
    wall_ms: Math.round(performance.now() - started),
    latency_p50_ms: Math.round(latencies[Math.floor(latencies.length / 2)]!),
    latency_p99_ms: Math.round(latencies[Math.floor(latencies.length * 0.99)]!),
  };
}

const results = [await run('no batching', plain), await run('batched, 5 ms window', new BatchingEmbedder(plain, { windowMs: 5, maxBatch: 128 }))];
console.log(JSON.stringify({ calls: CALLS, provider_latency_ms: LATENCY, results }));
await fake.close();
