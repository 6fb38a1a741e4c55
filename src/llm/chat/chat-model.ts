/**
 * The model interface the turn's hot path talks to. A narration streams ~30–100 deltas, and the
 * AI SDK's `streamText` pipeline (web streams, per-chunk schema checks, telemetry hooks) cost more
 * CPU per turn than everything else in it; this interface is a plain callback per delta. Chat
 * Completions and Anthropic Messages are spoken directly (openai-chat.ts, anthropic-messages.ts);
 * any other AI SDK `LanguageModelV3` still works through {@link toChatModel}'s adapter.
 * @module
 */
import type { ModelMessage } from 'ai';
import type { OfflineCall } from '../offline/offline-call.js';

/** Token counts a provider reported (any may be missing). */
export interface ChatUsage {
  inputTokens?: number;
  outputTokens?: number;
  /** Input tokens served from the provider's prompt cache. */
  cachedInputTokens?: number;
}

/** Ask for JSON shaped by `schema` (a JSON Schema object). */
export interface JsonOutput {
  name: string;
  description?: string;
  schema: Record<string, unknown>;
}

/** One call. `messages` are the context builder's: a system message and a user message, text only. */
export interface ChatRequest {
  messages: ModelMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  /** Structured output: the reply's text is JSON of this schema. */
  json?: JsonOutput;
  signal?: AbortSignal;
  /**
   * The turn itself, for the offline model, which works from data instead of parsing the prompt.
   * A function so that providers that do not need it never pay for building it.
   */
  offline?: () => OfflineCall;
}

export interface ChatResult {
  /** The whole reply (for JSON output: the JSON text). */
  text: string;
  /** The model that answered, as the provider named it. */
  modelId: string;
  usage: ChatUsage;
  finishReason?: string;
}

/** A language model as the narrator, judge and summarizer use it. */
export interface ChatModel {
  readonly provider: string;
  readonly modelId: string;
  /**
   * Stream the reply: `onText` gets every non-empty delta in order, synchronously as it is
   * parsed. Resolves with the whole reply once the provider finished; rejects with the abort
   * reason on abort, and with an `APICallError` (from `ai`) when the provider failed.
   */
  stream(request: ChatRequest, onText: (delta: string) => void): Promise<ChatResult>;
  /** The whole reply at once (structured output, summaries). */
  generate(request: ChatRequest): Promise<ChatResult>;
}

/** Whether `value` already speaks this interface. */
export function isChatModel(value: unknown): value is ChatModel {
  return typeof value === 'object' && value !== null && typeof (value as ChatModel).stream === 'function' && typeof (value as ChatModel).generate === 'function';
}

/** The text of a message whose content is a string or text parts. */
export function messageText(message: ModelMessage): string {
  const content = message.content as unknown;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { type?: string; text?: unknown }) => (part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

/** Whether the message carries Anthropic's prompt-cache marker (set by the context builder). */
export function wantsCache(message: ModelMessage): boolean {
  const anthropic = (message.providerOptions as { anthropic?: { cacheControl?: unknown } } | undefined)?.anthropic;
  return anthropic?.cacheControl !== undefined;
}
