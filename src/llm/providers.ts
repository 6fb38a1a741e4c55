/**
 * Concrete models from configuration. OpenAI and OpenAI-compatible servers are spoken to through
 * Chat Completions (the Responses API is OpenAI-only), Anthropic through Messages — directly, by
 * the clients in chat/ (the turn's hot path); embeddings through the AI SDK's providers.
 * @module
 */
import type { EmbeddingModelV3 } from '@ai-sdk/provider';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { AnthropicMessagesModel } from './chat/anthropic-messages.js';
import type { ChatModel } from './chat/chat-model.js';
import { OpenAIChatModel } from './chat/openai-chat.js';
import { DramaError } from '../domain/errors.js';
import { formatModelSpec, type ModelSpec, type ProviderName } from './model-spec.js';
import { createOfflineProvider } from './offline/offline-provider.js';

export interface ProviderSettings {
  openai?: { apiKey?: string; baseURL?: string };
  anthropic?: { apiKey?: string; baseURL?: string };
  compat?: { apiKey?: string; baseURL?: string };
  offline?: { chunkDelayMs?: number; latencyMs?: number };
}

type Factories = {
  language(modelId: string): ChatModel;
  embedding?(modelId: string): EmbeddingModelV3;
};

function missing(provider: ProviderName, what: string): never {
  throw new DramaError('config_invalid', `Model provider "${provider}" needs ${what}`);
}

/** The models of each provider, built on first use. */
export type ProviderRegistry = (provider: ProviderName) => Factories;

/** Provider instances are created once per registry (the server's, or a player's keys) and shared by every model of that provider. */
export function createProviderRegistry(settings: ProviderSettings): ProviderRegistry {
  const cache = new Map<ProviderName, Factories>();
  const build = (provider: ProviderName): Factories => {
    switch (provider) {
      case 'openai': {
        const s = settings.openai ?? {};
        if (!s.apiKey) missing('openai', 'OPENAI_API_KEY');
        const openai = createOpenAI({ apiKey: s.apiKey, baseURL: s.baseURL });
        return {
          language: (id) => new OpenAIChatModel({ provider: 'openai', modelId: id, apiKey: s.apiKey, ...(s.baseURL ? { baseURL: s.baseURL } : {}), detectReasoningModels: true }),
          embedding: (id) => openai.embedding(id),
        };
      }
      case 'anthropic': {
        const s = settings.anthropic ?? {};
        if (!s.apiKey) missing('anthropic', 'ANTHROPIC_API_KEY');
        const apiKey = s.apiKey;
        return { language: (id) => new AnthropicMessagesModel({ modelId: id, apiKey, ...(s.baseURL ? { baseURL: s.baseURL } : {}) }) };
      }
      case 'compat': {
        const s = settings.compat ?? {};
        if (!s.baseURL) missing('compat', 'COMPAT_BASE_URL (e.g. http://localhost:11434/v1 for Ollama)');
        const baseURL = s.baseURL;
        const compat = createOpenAICompatible({ name: 'compat', baseURL, apiKey: s.apiKey, supportsStructuredOutputs: true, includeUsage: true });
        return {
          language: (id) => new OpenAIChatModel({ provider: 'compat', modelId: id, baseURL, ...(s.apiKey ? { apiKey: s.apiKey } : {}) }),
          embedding: (id) => compat.textEmbeddingModel(id),
        };
      }
      case 'offline': {
        const offline = createOfflineProvider(settings.offline ?? {});
        return { language: (id) => offline.languageModel(id), embedding: (id) => offline.embeddingModel(id) };
      }
    }
  };
  return (provider) => {
    let factories = cache.get(provider);
    if (!factories) {
      factories = build(provider);
      cache.set(provider, factories);
    }
    return factories;
  };
}

export function embeddingModelFor(registry: ReturnType<typeof createProviderRegistry>, spec: ModelSpec): EmbeddingModelV3 {
  const factories = registry(spec.provider);
  if (!factories.embedding) throw new DramaError('config_invalid', `${formatModelSpec(spec)}: this provider has no embedding models`);
  return factories.embedding(spec.modelId);
}
