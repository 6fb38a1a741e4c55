/**
 * OpenAI Chat Completions, spoken directly: OpenAI itself and every OpenAI-compatible server
 * (Ollama, vLLM, LM Studio, OpenRouter…). The request is the one `@ai-sdk/openai`'s chat model and
 * `@ai-sdk/openai-compatible` send for our calls (text or a strict JSON schema, usage in the
 * stream); the reply is read chunk by chunk with no per-chunk schema validation: a field that is
 * missing is simply absent, and a reply that is not the JSON we asked for is caught by the judge.
 * @module
 */
import type { ChatRequest, ChatResult, ChatUsage } from './chat-model.js';
import { messageText } from './chat-model.js';
import { endpoint, providerError, type ReplyBuilder } from './http.js';
import { HttpChatModel } from './http-chat-model.js';

export interface OpenAIChatOptions {
  /** `openai` or `compat` (a server that speaks the same protocol). */
  provider: string;
  modelId: string;
  /** Default https://api.openai.com/v1 */
  baseURL?: string;
  apiKey?: string;
  /**
   * OpenAI's own reasoning models (o-series, gpt-5+) take `developer` messages and
   * `max_completion_tokens`, and no temperature. Only checked for `provider: 'openai'`.
   */
  detectReasoningModels?: boolean;
}

/** As `@ai-sdk/openai` decides it: o1/o3/o4…, and gpt-5 or later except the `-chat` variants. */
export function isOpenAIReasoningModel(modelId: string): boolean {
  if (/^o\d+(?:-|$)/.test(modelId)) return true;
  const gpt = /^gpt-(\d+)(?:\.(\d+))?(?:-(.+))?$/.exec(modelId);
  if (!gpt) return false;
  const chatVariant = gpt[2] === undefined && (gpt[3] ?? '').startsWith('chat');
  return Number(gpt[1]) >= 5 && !chatVariant;
}

interface Chunk {
  model?: string;
  choices?: { delta?: { content?: string | null; tool_calls?: { function?: { arguments?: string } }[] }; finish_reason?: string | null }[];
  usage?: RawUsage | null;
  error?: { message?: string };
}

interface RawUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

function usageOf(raw: RawUsage | null | undefined): ChatUsage {
  if (!raw) return {};
  const usage: ChatUsage = {};
  if (raw.prompt_tokens !== undefined) usage.inputTokens = raw.prompt_tokens;
  if (raw.completion_tokens !== undefined) usage.outputTokens = raw.completion_tokens;
  const cached = raw.prompt_tokens_details?.cached_tokens;
  if (cached !== undefined) usage.cachedInputTokens = cached;
  return usage;
}

interface Reply {
  model?: string;
  choices?: { message?: { content?: string | null; tool_calls?: { function?: { arguments?: string } }[] }; finish_reason?: string }[];
  usage?: RawUsage;
}

export class OpenAIChatModel extends HttpChatModel<Reply> {
  readonly provider: string;
  readonly #reasoning: boolean;

  constructor(options: OpenAIChatOptions) {
    super(options.modelId, endpoint(options.baseURL ?? 'https://api.openai.com/v1', '/chat/completions'), options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {});
    this.provider = options.provider;
    this.#reasoning = options.detectReasoningModels === true && isOpenAIReasoningModel(options.modelId);
  }

  protected body(request: ChatRequest, stream: boolean): Record<string, unknown> {
    const system = this.#reasoning ? 'developer' : 'system';
    const body: Record<string, unknown> = {
      model: this.modelId,
      messages: request.messages.map((m) => ({ role: m.role === 'system' ? system : m.role, content: messageText(m) })),
    };
    if (request.maxOutputTokens !== undefined) body[this.#reasoning ? 'max_completion_tokens' : 'max_tokens'] = request.maxOutputTokens;
    if (request.temperature !== undefined && !this.#reasoning) body.temperature = request.temperature;
    if (request.json) {
      const { name, description, schema } = request.json;
      body.response_format = { type: 'json_schema', json_schema: { schema, strict: true, name, ...(description ? { description } : {}) } };
    }
    if (stream) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    return body;
  }

  protected readEvent(raw: string, reply: ReplyBuilder): void {
    if (raw === '[DONE]') return reply.done();
    const chunk = JSON.parse(raw) as Chunk;
    if (chunk.error) throw providerError(this.at, chunk.error);
    if (chunk.model) reply.result.modelId = chunk.model;
    if (chunk.usage) reply.result.usage = usageOf(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) return;
    reply.text(choice.delta?.content ?? choice.delta?.tool_calls?.[0]?.function?.arguments);
    if (choice.finish_reason) {
      reply.result.finishReason = choice.finish_reason;
      // Some servers close after the finish chunk without [DONE]; the reply is complete.
      reply.done();
    }
  }

  protected readReply(reply: Reply): ChatResult {
    const choice = reply.choices?.[0];
    const text = choice?.message?.content ?? choice?.message?.tool_calls?.[0]?.function?.arguments ?? '';
    return { text, modelId: reply.model || this.modelId, usage: usageOf(reply.usage), ...(choice?.finish_reason ? { finishReason: choice.finish_reason } : {}) };
  }
}
