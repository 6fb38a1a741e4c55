/**
 * A fake OpenAI (Chat Completions + Embeddings) server over real HTTP and SSE, so the AI SDK's
 * `@ai-sdk/openai` (`openai.chat(id)`, `openai.embedding(id)`) and `@ai-sdk/openai-compatible`
 * providers run their real request building, parsing, retries and abort handling against it.
 *
 *   const fake = await startFakeOpenAI({ firstTokenMs: 50, perChunkMs: 10 });
 *   fake.respond((req) => (req.index === 0 ? { status: 429, headers: { 'retry-after-ms': '50' } } : { text: 'Hi' }));
 *   createOpenAI({ baseURL: fake.baseURL, apiKey: 'test' }).chat('gpt-4o-mini');
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import {
  estimateTokens,
  hangUp,
  isErrorReply,
  isJsonReply,
  paceChunks,
  paceWhole,
  pause,
  sendJson,
  splitFixed,
  splitWords,
  startFakeServer,
  startSse,
  type RouteContext,
} from './common.js';
import type { FakeLlmServer, FakeReply, FakeRequest, FakeServerOptions, FakeUsage } from './types.js';

export type * from './types.js';

/** Options for {@link startFakeOpenAI}. */
export interface FakeOpenAIOptions extends FakeServerOptions {
  /** Vector size when the request has no `dimensions`. Default 1536 (text-embedding-3-small). */
  embeddingDimensions?: number;
  /** Delay before an embeddings reply. Default 0; chat latency does not apply to embeddings. */
  embeddingLatencyMs?: number;
}

/** A running fake OpenAI server; `baseURL` ends in `/v1`. */
export type FakeOpenAI = FakeLlmServer;

/** True when a Chat Completions body asks for JSON (response_format or tools). */
export function wantsStructuredOutput(body: FakeRequest['body']): boolean {
  const format = body.response_format?.type;
  return format === 'json_schema' || format === 'json_object' || (Array.isArray(body.tools) && body.tools.length > 0);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Deterministic unit vector for `text`: feature hashing of its lower-cased words (8 signed buckets
 * per word), so texts sharing words have a positive cosine similarity, as memory recall expects.
 */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    for (let k = 0; k < 8; k++) {
      const h = fnv1a(`${word}#${k}`);
      v[h % dimensions]! += h & 0x10000 ? 1 : -1;
    }
  }
  let norm = Math.hypot(...v);
  if (norm === 0) {
    // No words (or all buckets cancelled): still a unit vector, still deterministic.
    v[fnv1a(text) % dimensions] = 1;
    norm = 1;
  }
  return v.map((x) => x / norm);
}

/** OpenAI's error envelope, with the type a real server uses for each status. */
function openAIError(status: number): unknown {
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message: `fake ${status}`, type, param: null, code: type } };
}

interface Plan {
  chunks: string[];
  /** Set when the reply is a tool call (structured output through tools). */
  tool?: { id: string; name: string };
  finishReason: string;
  usage: FakeUsage;
}

function planOf(reply: FakeReply, req: FakeRequest): Plan {
  const body = req.body;
  if (isJsonReply(reply)) {
    const args = JSON.stringify(reply.json);
    const tools = Array.isArray(body.tools) ? body.tools : [];
    if (tools.length > 0) {
      const name: string = reply.toolName ?? body.tool_choice?.function?.name ?? tools[0]?.function?.name ?? 'json';
      return { chunks: splitFixed(args), tool: { id: `call_fake_${req.index}`, name }, finishReason: 'tool_calls', usage: reply.usage ?? {} };
    }
    return { chunks: splitFixed(args), finishReason: 'stop', usage: reply.usage ?? {} };
  }
  if ('text' in reply && typeof reply.text === 'string') {
    const chunks = 'chunks' in reply && reply.chunks ? reply.chunks : splitWords(reply.text);
    const finishReason = 'finishReason' in reply && reply.finishReason ? reply.finishReason : 'stop';
    return { chunks, finishReason, usage: 'usage' in reply && reply.usage ? reply.usage : {} };
  }
  // hangUp without text: something to cut in the middle of.
  return { chunks: splitWords('This reply is cut off before it ends'), finishReason: 'stop', usage: {} };
}

function usageOf(plan: Plan, req: FakeRequest): Record<string, unknown> {
  const prompt = plan.usage.inputTokens ?? estimateTokens(req.body.messages);
  const completion = plan.usage.outputTokens ?? plan.chunks.length;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: plan.usage.cachedInputTokens ?? 0, ...(plan.usage.cacheWriteTokens ? { cache_write_tokens: plan.usage.cacheWriteTokens } : {}) },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

function writeData(res: ServerResponse, data: unknown): void {
  if (!res.destroyed) res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

async function chatCompletions(ctx: RouteContext): Promise<void> {
  const { req, res, reply } = ctx;
  const stream = req.body.stream === true;
  if (isErrorReply(reply)) return sendJson(res, reply.status, reply.body ?? openAIError(reply.status), reply.headers);
  const base = { id: `chatcmpl-fake-${req.index}`, created: Math.floor(Date.now() / 1000), model: String(req.body.model ?? 'fake') };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): unknown => ({
    ...base,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });

  if ('stall' in reply) {
    if (!stream) {
      // Headers out, body never: a server that accepted the request and went silent.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      return;
    }
    startSse(res);
    if (reply.firstChunk !== undefined) {
      await paceChunks(ctx, [reply.firstChunk], (text) => writeData(res, chunk({ role: 'assistant', content: text })));
    }
    return;
  }

  const plan = planOf(reply, req);
  if (!stream) {
    if ('hangUp' in reply) return void res.socket?.destroy();
    await paceWhole(ctx, plan.chunks.length);
    if (ctx.signal.aborted) return;
    const text = plan.chunks.join('');
    const message = plan.tool
      ? { role: 'assistant', content: null, tool_calls: [{ id: plan.tool.id, type: 'function', function: { name: plan.tool.name, arguments: text } }] }
      : { role: 'assistant', content: text, refusal: null };
    return sendJson(res, 200, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finishReason }],
      usage: usageOf(plan, req),
    });
  }

  startSse(res);
  const limit = 'hangUp' in reply ? (reply.afterChunks ?? 0) : Infinity;
  const tool = plan.tool;
  const complete = await paceChunks(
    ctx,
    plan.chunks,
    (text, i) => {
      if (!tool) return writeData(res, chunk(i === 0 ? { role: 'assistant', content: text } : { content: text }));
      // Real OpenAI: the first tool delta carries id, type and name; later ones only argument pieces.
      const call = i === 0 ? { index: 0, id: tool.id, type: 'function', function: { name: tool.name, arguments: text } } : { index: 0, function: { arguments: text } };
      writeData(res, chunk(i === 0 ? { role: 'assistant', content: null, tool_calls: [call] } : { tool_calls: [call] }));
    },
    limit,
  );
  if (!complete) {
    if ('hangUp' in reply) hangUp(res);
    return;
  }
  writeData(res, chunk({}, plan.finishReason));
  if (req.body.stream_options?.include_usage === true) writeData(res, { ...base, object: 'chat.completion.chunk', choices: [], usage: usageOf(plan, req) });
  writeData(res, '[DONE]');
  res.end();
}

function embeddings(options: FakeOpenAIOptions) {
  return async (ctx: RouteContext): Promise<void> => {
    const { req, res, reply } = ctx;
    // Only failure replies apply to embeddings; text/json replies are meant for chat requests.
    if (isErrorReply(reply)) return sendJson(res, reply.status, reply.body ?? openAIError(reply.status), reply.headers);
    if ('stall' in reply) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      return;
    }
    if ('hangUp' in reply) return void res.socket?.destroy();
    const inputs: unknown[] = Array.isArray(req.body.input) ? req.body.input : [req.body.input ?? ''];
    const dimensions = typeof req.body.dimensions === 'number' ? req.body.dimensions : (options.embeddingDimensions ?? 1536);
    await pause(options.embeddingLatencyMs ?? 0, ctx.signal);
    if (ctx.signal.aborted) return;
    const tokens = inputs.reduce<number>((n, x) => n + estimateTokens(x), 0);
    sendJson(res, 200, {
      object: 'list',
      data: inputs.map((x, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(typeof x === 'string' ? x : JSON.stringify(x), dimensions) })),
      model: String(req.body.model ?? 'fake-embedding'),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  };
}

/**
 * Start a fake OpenAI server on 127.0.0.1 serving `POST /v1/chat/completions` (JSON, or SSE when
 * `stream: true`, with a usage chunk when `stream_options.include_usage`) and `POST /v1/embeddings`.
 * Without a scripted reply it answers `{ text: 'Hello from the fake model.' }`.
 */
export function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  return startFakeServer(
    options,
    { '/v1/chat/completions': chatCompletions, '/v1/embeddings': embeddings(options) },
    { text: 'Hello from the fake model.' },
  );
}
