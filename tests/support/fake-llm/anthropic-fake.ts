/**
 * A fake Anthropic Messages API (`POST /v1/messages`) over real HTTP and SSE, for
 * `@ai-sdk/anthropic`: `createAnthropic({ baseURL: fake.baseURL, apiKey })`. Streams the real event
 * sequence and answers structured output in both shapes the SDK sends depending on the model:
 * native `output_config.format` (reply is JSON text) or a forced tool named `json` (reply is a
 * `tool_use` block whose input is the JSON).
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
  sendJson,
  splitFixed,
  splitWords,
  startFakeServer,
  startSse,
  type RouteContext,
} from './common.js';
import type { FakeLlmServer, FakeReply, FakeRequest, FakeServerOptions, FakeUsage } from './types.js';

export type * from './types.js';

/** Options for {@link startFakeAnthropic}. */
export type FakeAnthropicOptions = FakeServerOptions;

/** A running fake Anthropic server; `baseURL` ends in `/v1`, as `createAnthropic` expects. */
export type FakeAnthropic = FakeLlmServer;

/** The error type Anthropic reports for each status (529 is its "overloaded"). */
function anthropicError(status: number): unknown {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    529: 'overloaded_error',
  };
  return { type: 'error', error: { type: types[status] ?? 'api_error', message: `fake ${status}` } };
}

interface Plan {
  chunks: string[];
  /** Set when the reply is a `tool_use` block (the SDK's `json` tool or any offered tool). */
  tool?: { id: string; name: string };
  stopReason: string;
  usage: FakeUsage;
}

function planOf(reply: FakeReply, req: FakeRequest): Plan {
  const body = req.body;
  if (isJsonReply(reply)) {
    const input = JSON.stringify(reply.json);
    const tools: { name?: string }[] = Array.isArray(body.tools) ? body.tools : [];
    if (tools.length > 0) {
      const forced = body.tool_choice?.type === 'tool' ? (body.tool_choice.name as string) : undefined;
      const name = reply.toolName ?? forced ?? (tools.some((t) => t.name === 'json') ? 'json' : (tools[0]?.name ?? 'json'));
      return { chunks: splitFixed(input), tool: { id: `toolu_fake_${req.index}`, name }, stopReason: 'tool_use', usage: reply.usage ?? {} };
    }
    return { chunks: splitFixed(input), stopReason: 'end_turn', usage: reply.usage ?? {} };
  }
  if ('text' in reply && typeof reply.text === 'string') {
    const chunks = 'chunks' in reply && reply.chunks ? reply.chunks : splitWords(reply.text);
    const stopReason = 'finishReason' in reply && reply.finishReason ? reply.finishReason : 'end_turn';
    return { chunks, stopReason, usage: 'usage' in reply && reply.usage ? reply.usage : {} };
  }
  // hangUp without text: something to cut in the middle of.
  return { chunks: splitWords('This reply is cut off before it ends'), stopReason: 'end_turn', usage: {} };
}

function inputUsage(plan: Plan, req: FakeRequest): Record<string, number> {
  return {
    input_tokens: plan.usage.inputTokens ?? estimateTokens([req.body.system, req.body.messages]),
    cache_creation_input_tokens: plan.usage.cacheWriteTokens ?? 0,
    cache_read_input_tokens: plan.usage.cachedInputTokens ?? 0,
  };
}

function writeEvent(res: ServerResponse, data: { type: string } & Record<string, unknown>): void {
  if (!res.destroyed) res.write(`event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`);
}

async function messages(ctx: RouteContext): Promise<void> {
  const { req, res, reply } = ctx;
  const stream = req.body.stream === true;
  if (isErrorReply(reply)) return sendJson(res, reply.status, reply.body ?? anthropicError(reply.status), reply.headers);
  const id = `msg_fake_${req.index}`;
  const model = String(req.body.model ?? 'claude-fake');

  if (!stream && 'stall' in reply) {
    // Headers out, body never: a server that accepted the request and went silent.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    return;
  }
  const plan = 'stall' in reply ? { chunks: [], stopReason: 'end_turn', usage: {} } : planOf(reply, req);

  if (!stream) {
    if ('hangUp' in reply) return void res.socket?.destroy();
    await paceWhole(ctx, plan.chunks.length);
    if (ctx.signal.aborted) return;
    const text = plan.chunks.join('');
    const block = plan.tool ? { type: 'tool_use', id: plan.tool.id, name: plan.tool.name, input: JSON.parse(text) as unknown } : { type: 'text', text };
    return sendJson(res, 200, {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [block],
      stop_reason: plan.stopReason,
      stop_sequence: null,
      usage: { ...inputUsage(plan, req), output_tokens: plan.usage.outputTokens ?? plan.chunks.length },
    });
  }

  // The real API sends message_start and the first content_block_start (and a ping) before any
  // token, so those go out with the headers; firstTokenMs paces the first delta.
  startSse(res);
  writeEvent(res, {
    type: 'message_start',
    message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...inputUsage(plan, req), output_tokens: 1 } },
  });
  const tool = plan.tool;
  const contentBlock = tool ? { type: 'tool_use', id: tool.id, name: tool.name, input: {} } : { type: 'text', text: '' };
  writeEvent(res, { type: 'content_block_start', index: 0, content_block: contentBlock });
  writeEvent(res, { type: 'ping' });
  const delta = (text: string): Record<string, string> => (tool ? { type: 'input_json_delta', partial_json: text } : { type: 'text_delta', text });

  if ('stall' in reply) {
    if (reply.firstChunk !== undefined) {
      await paceChunks(ctx, [reply.firstChunk], (text) => writeEvent(res, { type: 'content_block_delta', index: 0, delta: delta(text) }));
    }
    return;
  }
  const limit = 'hangUp' in reply ? (reply.afterChunks ?? 0) : Infinity;
  const complete = await paceChunks(ctx, plan.chunks, (text) => writeEvent(res, { type: 'content_block_delta', index: 0, delta: delta(text) }), limit);
  if (!complete) {
    if ('hangUp' in reply) hangUp(res);
    return;
  }
  writeEvent(res, { type: 'content_block_stop', index: 0 });
  writeEvent(res, {
    type: 'message_delta',
    delta: { stop_reason: plan.stopReason, stop_sequence: null },
    usage: { output_tokens: plan.usage.outputTokens ?? plan.chunks.length },
  });
  writeEvent(res, { type: 'message_stop' });
  res.end();
}

/**
 * Start a fake Anthropic server on 127.0.0.1 serving `POST /v1/messages` (JSON, or SSE events
 * when `stream: true`). Without a scripted reply it answers `{ text: 'Hello from the fake model.' }`.
 */
export function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  return startFakeServer(options, { '/v1/messages': messages }, { text: 'Hello from the fake model.' });
}
