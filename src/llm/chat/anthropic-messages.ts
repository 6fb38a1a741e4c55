/**
 * Anthropic Messages, spoken directly. The system message keeps its prompt-cache marker
 * (`cache_control` at the end of the stable prefix); structured output is a forced tool named
 * `json` whose input is the answer, which every Claude model supports. Usage is counted as
 * `@ai-sdk/anthropic` counts it: input = uncached + cache writes + cache reads.
 * @module
 */
import type { ChatRequest, ChatResult, ChatUsage } from './chat-model.js';
import { messageText, wantsCache } from './chat-model.js';
import { endpoint, providerError, type ReplyBuilder } from './http.js';
import { HttpChatModel } from './http-chat-model.js';

export interface AnthropicOptions {
  modelId: string;
  /** Default https://api.anthropic.com/v1 */
  baseURL?: string;
  apiKey: string;
}

/** Anthropic requires a cap; ours are always set, this is for callers that do not. */
const DEFAULT_MAX_TOKENS = 4096;

interface RawUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

function inputUsage(raw: RawUsage | undefined, into: ChatUsage): void {
  if (!raw || raw.input_tokens === undefined) return;
  const read = raw.cache_read_input_tokens ?? 0;
  into.inputTokens = raw.input_tokens + (raw.cache_creation_input_tokens ?? 0) + read;
  into.cachedInputTokens = read;
}

interface StreamEvent {
  type: string;
  message?: { model?: string; usage?: RawUsage };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string };
  usage?: RawUsage;
  error?: { type?: string; message?: string };
}

interface Reply {
  model?: string;
  content?: { type: string; text?: string; name?: string; input?: unknown }[];
  stop_reason?: string;
  usage?: RawUsage;
}

export class AnthropicMessagesModel extends HttpChatModel<Reply> {
  readonly provider = 'anthropic';

  constructor(options: AnthropicOptions) {
    super(options.modelId, endpoint(options.baseURL ?? 'https://api.anthropic.com/v1', '/messages'), { 'x-api-key': options.apiKey, 'anthropic-version': '2023-06-01' });
  }

  protected body(request: ChatRequest, stream: boolean): Record<string, unknown> {
    const system: Record<string, unknown>[] = [];
    const messages: Record<string, unknown>[] = [];
    for (const m of request.messages) {
      const block: Record<string, unknown> = { type: 'text', text: messageText(m) };
      if (wantsCache(m)) block.cache_control = { type: 'ephemeral' };
      if (m.role === 'system') system.push(block);
      else messages.push({ role: m.role === 'assistant' ? 'assistant' : 'user', content: [block] });
    }
    const body: Record<string, unknown> = { model: this.modelId, max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_TOKENS, messages };
    if (system.length > 0) body.system = system;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.json) {
      body.tools = [{ name: 'json', description: request.json.description ?? 'Respond with a JSON object.', input_schema: request.json.schema }];
      body.tool_choice = { type: 'tool', name: 'json' };
    }
    if (stream) body.stream = true;
    return body;
  }

  protected readEvent(raw: string, reply: ReplyBuilder): void {
    const data = JSON.parse(raw) as StreamEvent;
    switch (data.type) {
      case 'message_start':
        if (data.message?.model) reply.result.modelId = data.message.model;
        inputUsage(data.message?.usage, reply.result.usage);
        return;
      case 'content_block_delta':
        return reply.text(data.delta?.type === 'input_json_delta' ? data.delta.partial_json : data.delta?.text);
      case 'message_delta':
        if (data.usage?.output_tokens !== undefined) reply.result.usage.outputTokens = data.usage.output_tokens;
        if (data.delta?.stop_reason) reply.result.finishReason = data.delta.stop_reason;
        return;
      case 'message_stop':
        return reply.done();
      case 'error':
        // `overloaded_error` and `api_error` mid-stream.
        throw providerError(this.at, data.error);
    }
  }

  protected readReply(reply: Reply, request: ChatRequest): ChatResult {
    let text = '';
    for (const block of reply.content ?? []) {
      if (block.type === 'text' && !request.json) text += block.text ?? '';
      else if (block.type === 'tool_use' && block.name === 'json') text = JSON.stringify(block.input ?? null);
      else if (block.type === 'text' && request.json && text === '') text = block.text ?? '';
    }
    const usage: ChatUsage = {};
    inputUsage(reply.usage, usage);
    if (reply.usage?.output_tokens !== undefined) usage.outputTokens = reply.usage.output_tokens;
    return { text, modelId: reply.model || this.modelId, usage, ...(reply.stop_reason ? { finishReason: reply.stop_reason } : {}) };
  }
}
