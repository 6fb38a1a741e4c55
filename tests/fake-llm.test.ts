/**
 * Proves the fake provider servers against the REAL AI SDK providers: if these pass, the SDK
 * accepts the fakes' wire format, and tests built on them exercise real parsing, retries and
 * aborts. Also pins down what the SDK sends (request shapes) per provider and model.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { embedMany, generateText, Output, streamText, tool } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-llm/anthropic-fake.js';
import { nowMs } from './support/fake-llm/common.js';
import { startFakeOpenAI, type FakeOpenAI } from './support/fake-llm/openai-fake.js';

const decision = z.object({ choiceIndex: z.number().int().nullable(), summary: z.string() });
const decisionValue = { choiceIndex: 1, summary: 'You open the door.' };

/** Drain a text stream, noting when each delta arrived (same clock as the fake's chunkLog). */
async function collect(stream: AsyncIterable<string>): Promise<{ text: string; at: number }[]> {
  const out: { text: string; at: number }[] = [];
  for await (const text of stream) out.push({ text, at: nowMs() });
  return out;
}

describe('fake OpenAI server with the real AI SDK', () => {
  let fake: FakeOpenAI;
  let openai: ReturnType<typeof createOpenAI>;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    openai = createOpenAI({ baseURL: fake.baseURL, apiKey: 'sk-test' });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('streams scripted chunks in order, paced, with usage (openai.chat)', async () => {
    const chunks = ['Once ', 'upon ', 'a ', 'time.'];
    fake.respond({ text: chunks.join(''), chunks, firstTokenMs: 80, perChunkMs: 30, usage: { inputTokens: 42, outputTokens: 4, cachedInputTokens: 10 } });
    const started = nowMs();
    const result = streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'Tell a story', maxRetries: 0 });
    const got = await collect(result.textStream);
    expect(got.map((g) => g.text)).toEqual(chunks);
    expect(got[0]!.at - started).toBeGreaterThanOrEqual(75);
    // Pacing is asserted where it is made (the server's write times); receive times are noisier
    // (the first call warms up the SDK, so later deltas can arrive bunched).
    const log = fake.chunkLog;
    // Each chunk is due at firstTokenMs + i × perChunkMs after the request and is never written
    // early (a busy machine may write it late, which says nothing about the pacing).
    log.forEach((entry, i) => expect(entry.writtenAt - fake.requests[0]!.receivedAt, `chunk ${i}`).toBeGreaterThanOrEqual(80 + i * 30 - 2));
    const usage = await result.usage;
    expect(usage).toMatchObject({ inputTokens: 42, outputTokens: 4, totalTokens: 46 });
    expect(usage.inputTokenDetails.cacheReadTokens).toBe(10);
    expect(await result.finishReason).toBe('stop');
    // Emit → receive latency is measurable from the chunk log (same process, same clock).
    expect(log.map((c) => c.text)).toEqual(chunks);
    got.forEach((g, i) => expect(g.at - log[i]!.writtenAt).toBeGreaterThanOrEqual(0));
    const req = fake.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test');
    expect(req.body).toMatchObject({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true } });
  });

  it('streams through createOpenAICompatible with includeUsage', async () => {
    const compat = createOpenAICompatible({ name: 'compat', baseURL: fake.baseURL, apiKey: 'k', supportsStructuredOutputs: true, includeUsage: true });
    fake.respond({ text: 'The rain falls softly.', usage: { inputTokens: 7, outputTokens: 4 } });
    const result = streamText({ model: compat('local-model'), prompt: 'x', maxRetries: 0 });
    expect((await collect(result.textStream)).map((g) => g.text)).toEqual(['The ', 'rain ', 'falls ', 'softly.']);
    expect(await result.usage).toMatchObject({ inputTokens: 7, outputTokens: 4 });
    expect(fake.requests[0]!.body).toMatchObject({ model: 'local-model', stream: true, stream_options: { include_usage: true } });
  });

  it('serves concurrent streams independently (pacing is per request, not serialized)', async () => {
    fake.respond((req) => ({ text: `reply ${req.index} done`, firstTokenMs: 100, perChunkMs: 20 }));
    const started = nowMs();
    const texts = await Promise.all(
      Array.from({ length: 8 }, () => streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'x', maxRetries: 0 }).text),
    );
    expect(new Set(texts).size).toBe(8);
    expect(nowMs() - started).toBeLessThan(600);
    expect(fake.chunkLog).toHaveLength(24);
  });

  it('non-streaming latency is firstTokenMs + perChunkMs × chunks', async () => {
    fake.respond({ text: 'one two three four five', firstTokenMs: 100, perChunkMs: 20 });
    const started = nowMs();
    const result = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'x', maxRetries: 0 });
    expect(result.text).toBe('one two three four five');
    expect(nowMs() - started).toBeGreaterThanOrEqual(195);
    expect(fake.requests[0]!.body.stream).toBeUndefined();
  });

  it('structured output via json_schema (openai.chat and openai-compatible)', async () => {
    fake.respond({ json: decisionValue });
    const r1 = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'judge', output: Output.object({ schema: decision }), maxRetries: 0 });
    expect(r1.output).toEqual(decisionValue);
    const compat = createOpenAICompatible({ name: 'compat', baseURL: fake.baseURL, apiKey: 'k', supportsStructuredOutputs: true });
    const r2 = await generateText({ model: compat('m'), prompt: 'judge', output: Output.object({ schema: decision }), maxRetries: 0 });
    expect(r2.output).toEqual(decisionValue);
    for (const req of fake.requests) {
      expect(req.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'response', strict: true } });
      expect(req.body.response_format.json_schema.schema.properties).toHaveProperty('choiceIndex');
      expect(req.body.tools).toBeUndefined();
    }
  });

  it('answers tool requests with a tool call carrying JSON arguments', async () => {
    fake.respond({ json: { city: 'Paris' } });
    const result = await generateText({
      model: openai.chat('gpt-4o-mini'),
      prompt: 'weather?',
      tools: { weather: tool({ description: 'Weather for a city', inputSchema: z.object({ city: z.string() }) }) },
      maxRetries: 0,
    });
    expect(result.toolCalls).toMatchObject([{ toolName: 'weather', input: { city: 'Paris' } }]);
    expect(result.finishReason).toBe('tool-calls');
    expect(fake.requests[0]!.body.tools[0]).toMatchObject({ type: 'function', function: { name: 'weather' } });
  });

  it('embedMany honours dimensions and returns deterministic unit vectors', async () => {
    const values = ['the old lighthouse', 'the old lighthouse keeper', 'a red kite'];
    const { embeddings } = await embedMany({ model: openai.embedding('text-embedding-3-small'), values, providerOptions: { openai: { dimensions: 256 } }, maxRetries: 0 });
    expect(embeddings).toHaveLength(3);
    for (const e of embeddings) {
      expect(e).toHaveLength(256);
      expect(Math.hypot(...e)).toBeCloseTo(1, 6);
    }
    const again = await embedMany({ model: openai.embedding('text-embedding-3-small'), values, providerOptions: { openai: { dimensions: 256 } } });
    expect(again.embeddings).toEqual(embeddings);
    const cos = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(cos(embeddings[0]!, embeddings[1]!)).toBeGreaterThan(cos(embeddings[0]!, embeddings[2]!));
    expect(fake.requests[0]!.body).toMatchObject({ model: 'text-embedding-3-small', input: values, dimensions: 256, encoding_format: 'float' });
    // Default size without `dimensions`.
    const single = await embedMany({ model: openai.embedding('text-embedding-3-small'), values: ['x'] });
    expect(single.embeddings[0]).toHaveLength(1536);
  });

  it('honours retry-after-ms on 429 (two 429s, then success, well under a second)', async () => {
    fake.respond((req) => (req.index < 2 ? { status: 429, headers: { 'retry-after-ms': '50' } } : { text: 'ok' }));
    const started = nowMs();
    const result = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'x', maxRetries: 2 });
    expect(result.text).toBe('ok');
    expect(fake.requests).toHaveLength(3);
    expect(nowMs() - started).toBeLessThan(1000);
  });

  it('retries a 500 with the default backoff, then succeeds', async () => {
    fake.respond((req) => (req.index === 0 ? { status: 500 } : { text: 'recovered' }));
    const started = nowMs();
    const result = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'x', maxRetries: 1 });
    expect(result.text).toBe('recovered');
    expect(fake.requests).toHaveLength(2);
    // No retry header: the SDK's first backoff step is 2 s.
    expect(nowMs() - started).toBeGreaterThanOrEqual(1900);
  });

  it('does not retry a 400 and surfaces the status', async () => {
    fake.respond({ status: 400, body: { error: { message: 'bad things', type: 'invalid_request_error' } } });
    await expect(generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'x', maxRetries: 2 })).rejects.toMatchObject({ statusCode: 400, message: 'bad things' });
    expect(fake.requests).toHaveLength(1);
  });

  it('a stalled stream is cut by an abort signal after the first chunk', async () => {
    fake.respond({ stall: true, firstChunk: 'Almost', firstTokenMs: 20 });
    const started = nowMs();
    const result = streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'x', maxRetries: 0, abortSignal: AbortSignal.timeout(300), onError: () => undefined });
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const t of result.textStream) got.push(t);
        // textStream ends quietly on abort in some versions; the abort must still be visible.
        await result.text;
      })(),
    ).rejects.toThrow();
    expect(got).toEqual(['Almost']);
    const elapsed = nowMs() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
  });

  it('a stalled non-streaming call is cut by an abort signal', async () => {
    fake.respond({ stall: true });
    const started = nowMs();
    await expect(generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'x', maxRetries: 0, abortSignal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(nowMs() - started).toBeLessThan(1500);
  });

  it('a hang-up mid-stream delivers the chunks written so far, then throws from fullStream', async () => {
    fake.respond({ hangUp: true, afterChunks: 2, text: 'one two three four' });
    const result = streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'x', maxRetries: 0, onError: () => undefined });
    const texts: string[] = [];
    let thrown: unknown;
    try {
      for await (const p of result.fullStream) if (p.type === 'text-delta') texts.push(p.text);
    } catch (err) {
      thrown = err;
    }
    expect(texts).toEqual(['one ', 'two ']);
    // Once deltas have flowed, a transport failure is thrown by the stream, not sent as an 'error' part.
    expect(thrown).toMatchObject({ name: 'AI_APICallError', message: 'Failed to process successful response' });
  });
});

describe('fake Anthropic server with the real AI SDK', () => {
  let fake: FakeAnthropic;
  let anthropic: ReturnType<typeof createAnthropic>;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
    anthropic = createAnthropic({ baseURL: fake.baseURL, apiKey: 'sk-ant-test' });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('streams text deltas with usage and records the headers', async () => {
    const chunks = ['The ', 'candle ', 'gutters.'];
    fake.respond({ text: chunks.join(''), chunks, firstTokenMs: 30, perChunkMs: 10, usage: { inputTokens: 20, outputTokens: 3, cachedInputTokens: 100, cacheWriteTokens: 5 } });
    const result = streamText({ model: anthropic('claude-sonnet-4-5'), system: 'narrate', prompt: 'go', maxRetries: 0 });
    expect((await collect(result.textStream)).map((g) => g.text)).toEqual(chunks);
    const usage = await result.usage;
    // Anthropic's input_tokens excludes cache reads/writes; the SDK adds them back into the total.
    expect(usage).toMatchObject({ inputTokens: 125, outputTokens: 3 });
    expect(usage.inputTokenDetails).toMatchObject({ noCacheTokens: 20, cacheReadTokens: 100, cacheWriteTokens: 5 });
    expect(await result.finishReason).toBe('stop');
    const req = fake.requests[0]!;
    expect(req.path).toBe('/v1/messages');
    expect(req.headers['x-api-key']).toBe('sk-ant-test');
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    expect(req.body).toMatchObject({ model: 'claude-sonnet-4-5', stream: true, system: [{ type: 'text', text: 'narrate' }] });
  });

  it('structured output, newer model: output_config.format json_schema, JSON text reply', async () => {
    fake.respond({ json: decisionValue });
    const r = await generateText({ model: anthropic('claude-sonnet-4-5'), prompt: 'judge', output: Output.object({ schema: decision }), maxRetries: 0 });
    expect(r.output).toEqual(decisionValue);
    const body = fake.requests[0]!.body;
    expect(body.output_config).toMatchObject({ format: { type: 'json_schema' } });
    expect(body.output_config.format.schema.properties).toHaveProperty('summary');
    expect(body.tools).toBeUndefined();
  });

  it('structured output, older model: forced `json` tool, tool_use reply', async () => {
    fake.respond({ json: decisionValue });
    const r = await generateText({ model: anthropic('claude-3-haiku-20240307'), prompt: 'judge', output: Output.object({ schema: decision }), maxRetries: 0 });
    expect(r.output).toEqual(decisionValue);
    const body = fake.requests[0]!.body;
    expect(body.tools).toMatchObject([{ name: 'json' }]);
    expect(body.tool_choice).toMatchObject({ type: 'any', disable_parallel_tool_use: true });
    expect(body.output_config).toBeUndefined();
    // The same shape streamed: input_json_delta pieces become the JSON text.
    fake.respond({ json: decisionValue });
    const s = streamText({ model: anthropic('claude-3-haiku-20240307'), prompt: 'judge', output: Output.object({ schema: decision }), maxRetries: 0 });
    expect(await s.output).toEqual(decisionValue);
  });

  it('retries 529 overloaded honouring retry-after (seconds), and gives up on a 429 without retries', async () => {
    fake.respond((req) => (req.index === 0 ? { status: 529, headers: { 'retry-after': '0.05' } } : { text: 'back' }));
    const started = nowMs();
    const r = await generateText({ model: anthropic('claude-sonnet-4-5'), prompt: 'x', maxRetries: 2 });
    expect(r.text).toBe('back');
    expect(nowMs() - started).toBeLessThan(1000);
    fake.reset();
    fake.respond({ status: 429, headers: { 'retry-after': '3' } });
    await expect(generateText({ model: anthropic('claude-sonnet-4-5'), prompt: 'x', maxRetries: 0 })).rejects.toMatchObject({
      statusCode: 429,
      isRetryable: true,
      responseHeaders: expect.objectContaining({ 'retry-after': '3' }),
    });
  });

  it('a stalled stream is cut by an abort signal', async () => {
    fake.respond({ stall: true, firstChunk: 'Wait', firstTokenMs: 10 });
    const started = nowMs();
    const result = streamText({ model: anthropic('claude-sonnet-4-5'), prompt: 'x', maxRetries: 0, abortSignal: AbortSignal.timeout(300), onError: () => undefined });
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const t of result.textStream) got.push(t);
        await result.text;
      })(),
    ).rejects.toThrow();
    expect(got).toEqual(['Wait']);
    expect(nowMs() - started).toBeLessThan(1500);
  });

  it('a hang-up before any response is a retryable APICallError', async () => {
    fake.respond({ hangUp: true });
    // maxRetries 0: a retry would wait out the SDK's 2 s first backoff step for nothing.
    await expect(generateText({ model: anthropic('claude-sonnet-4-5'), prompt: 'x', maxRetries: 0 })).rejects.toMatchObject({ name: 'AI_APICallError', isRetryable: true });
    expect(fake.requests).toHaveLength(1);
  });
});
