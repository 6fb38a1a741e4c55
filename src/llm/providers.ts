/**
 * Concrete AI SDK models from configuration. OpenAI and OpenAI-compatible servers are spoken to
 * through Chat Completions (the Responses API is OpenAI-only), Anthropic through Messages.
 * @module
 */
import type { EmbeddingModelV3, LanguageModelV3 } from '@ai-sdk/provider';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
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
  language(modelId: string): LanguageModelV3;
  embedding?(modelId: string): EmbeddingModelV3;
};

function missing(provider: ProviderName, what: string): never {
  throw new DramaError('config_invalid', `Model provider "${provider}" needs ${what}`);
}

/** Provider instances are created once per process and shared by every model of that provider. */
export function createProviderRegistry(settings: ProviderSettings): (provider: ProviderName) => Factories {
  const cache = new Map<ProviderName, Factories>();
  const build = (provider: ProviderName): Factories => {
    switch (provider) {
      case 'openai': {
        const s = settings.openai ?? {};
        if (!s.apiKey) missing('openai', 'OPENAI_API_KEY');
        const openai = createOpenAI({ apiKey: s.apiKey, baseURL: s.baseURL });
        return { language: (id) => openai.chat(id), embedding: (id) => openai.embedding(id) };
      }
      case 'anthropic': {
        const s = settings.anthropic ?? {};
        if (!s.apiKey) missing('anthropic', 'ANTHROPIC_API_KEY');
        const anthropic = createAnthropic({ apiKey: s.apiKey, baseURL: s.baseURL });
        return { language: (id) => anthropic(id) };
      }
      case 'compat': {
        const s = settings.compat ?? {};
        if (!s.baseURL) missing('compat', 'COMPAT_BASE_URL (e.g. http://localhost:11434/v1 for Ollama)');
        const compat = createOpenAICompatible({ name: 'compat', baseURL: s.baseURL, apiKey: s.apiKey, supportsStructuredOutputs: true, includeUsage: true });
        return { language: (id) => compat.chatModel(id), embedding: (id) => compat.textEmbeddingModel(id) };
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
