/**
 * Any AI SDK `LanguageModelV3` as a {@link ChatModel}: providers without a direct client here,
 * and test doubles. Calls `doStream`/`doGenerate` directly (the provider's own request and
 * parsing), without the `streamText`/`generateText` layers above them.
 * @module
 */
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Prompt, LanguageModelV3Usage, SharedV3ProviderOptions } from '@ai-sdk/provider';
import { abortReason } from '../model-errors.js';
import { isChatModel, messageText, type ChatModel, type ChatRequest, type ChatResult, type ChatUsage } from './chat-model.js';

function toPrompt(request: ChatRequest): LanguageModelV3Prompt {
  return request.messages.map((m) => {
    const providerOptions = m.providerOptions as SharedV3ProviderOptions | undefined;
    const extra = providerOptions ? { providerOptions } : {};
    if (m.role === 'system') return { role: 'system', content: messageText(m), ...extra };
    return { role: m.role === 'assistant' ? 'assistant' : 'user', content: [{ type: 'text', text: messageText(m) }], ...extra };
  }) as LanguageModelV3Prompt;
}

function callOptions(request: ChatRequest): LanguageModelV3CallOptions {
  const options: LanguageModelV3CallOptions = { prompt: toPrompt(request) };
  if (request.maxOutputTokens !== undefined) options.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.signal) options.abortSignal = request.signal;
  if (request.json) options.responseFormat = { type: 'json', schema: request.json.schema as never, name: request.json.name, ...(request.json.description ? { description: request.json.description } : {}) };
  if (request.offline) options.providerOptions = { offline: JSON.parse(JSON.stringify(request.offline())) as never };
  return options;
}

function usageOf(usage: LanguageModelV3Usage | undefined): ChatUsage {
  if (!usage) return {};
  const out: ChatUsage = {};
  if (usage.inputTokens.total !== undefined) out.inputTokens = usage.inputTokens.total;
  if (usage.outputTokens.total !== undefined) out.outputTokens = usage.outputTokens.total;
  if (usage.inputTokens.cacheRead !== undefined) out.cachedInputTokens = usage.inputTokens.cacheRead;
  return out;
}

/** `model` as a ChatModel (itself when it already is one, as the offline model). */
export function toChatModel(model: LanguageModelV3 | ChatModel): ChatModel {
  if (isChatModel(model)) return model;
  return {
    provider: model.provider,
    modelId: model.modelId,
    async stream(request, onText) {
      const { stream } = await model.doStream(callOptions(request));
      const result: ChatResult = { text: '', modelId: model.modelId, usage: {} };
      const reader = stream.getReader();
      try {
        for (;;) {
          const { done, value: part } = await reader.read();
          if (done) break;
          if (part.type === 'text-delta') {
            if (part.delta.length === 0) continue;
            result.text += part.delta;
            onText(part.delta);
          } else if (part.type === 'response-metadata') {
            if (part.modelId) result.modelId = part.modelId;
          } else if (part.type === 'finish') {
            result.usage = usageOf(part.usage);
            result.finishReason = part.finishReason.unified;
          } else if (part.type === 'error') {
            throw part.error;
          }
        }
      } catch (err) {
        void reader.cancel().catch(() => undefined);
        throw request.signal?.aborted ? abortReason(request.signal) : err;
      }
      if (request.signal?.aborted) throw abortReason(request.signal);
      return result;
    },
    async generate(request) {
      const reply = await model.doGenerate(callOptions(request));
      let text = '';
      for (const part of reply.content) {
        if (part.type === 'text') text += part.text;
        else if (part.type === 'tool-call' && request.json && text === '') text = part.input;
      }
      return { text, modelId: reply.response?.modelId || model.modelId, usage: usageOf(reply.usage), finishReason: reply.finishReason.unified };
    },
  };
}
