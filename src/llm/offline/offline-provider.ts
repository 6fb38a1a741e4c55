/**
 * The offline models packaged as an AI SDK `ProviderV3`, so configuration can name
 * `offline:offline-narrator` the same way it names `openai:gpt-4o-mini`.
 * @module
 */
import { NoSuchModelError, type ProviderV3 } from '@ai-sdk/provider';
import { OfflineEmbeddingModel, type OfflineEmbeddingSettings } from './offline-embedding-model.js';
import { OfflineLanguageModel, type OfflineLanguageModelSettings, type OfflineModelId } from './offline-language-model.js';

/** Settings shared by every model the provider creates. */
export interface OfflineProviderOptions extends OfflineLanguageModelSettings, OfflineEmbeddingSettings {}

/** The offline provider: two language models and one embedding model. */
export interface OfflineProvider extends ProviderV3 {
  (modelId: OfflineModelId): OfflineLanguageModel;
  languageModel(modelId: OfflineModelId | (string & {})): OfflineLanguageModel;
  embeddingModel(modelId?: string): OfflineEmbeddingModel;
  textEmbeddingModel(modelId?: string): OfflineEmbeddingModel;
}

const LANGUAGE_MODELS: readonly string[] = ['offline-narrator', 'offline-judge'];
const EMBEDDING_MODELS: readonly string[] = ['offline-embedding'];

/**
 * Create the offline provider. Language model ids: `offline-narrator`, `offline-judge` (the id
 * only sets the default role; callers normally pass the role in provider options). Embedding
 * model id: `offline-embedding`. Other ids throw `NoSuchModelError`.
 */
export function createOfflineProvider(options: OfflineProviderOptions = {}): OfflineProvider {
  const { dimensions, ...lmSettings } = options;
  const languageModel = (modelId: string): OfflineLanguageModel => {
    if (!LANGUAGE_MODELS.includes(modelId)) throw new NoSuchModelError({ modelId, modelType: 'languageModel' });
    return new OfflineLanguageModel(modelId, lmSettings);
  };
  const embeddingModel = (modelId = 'offline-embedding'): OfflineEmbeddingModel => {
    if (!EMBEDDING_MODELS.includes(modelId)) throw new NoSuchModelError({ modelId, modelType: 'embeddingModel' });
    return new OfflineEmbeddingModel(modelId, dimensions === undefined ? {} : { dimensions });
  };
  const provider = (modelId: OfflineModelId) => languageModel(modelId);
  return Object.assign(provider, {
    specificationVersion: 'v3' as const,
    languageModel,
    embeddingModel,
    textEmbeddingModel: embeddingModel,
    imageModel: (modelId: string): never => {
      throw new NoSuchModelError({ modelId, modelType: 'imageModel' });
    },
  });
}
