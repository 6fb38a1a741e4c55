import type { LanguageModelV3 } from '@ai-sdk/provider';

/**
 * A model that keeps `model`'s identity (provider, id, supported URLs) and replaces how calls are
 * made; every wrapper in a chain (limit, retries, fallback, observation) is one of these.
 */
export function wrapModel(model: LanguageModelV3, calls: Pick<LanguageModelV3, 'doGenerate' | 'doStream'>): LanguageModelV3 {
  return {
    specificationVersion: 'v3',
    provider: model.provider,
    modelId: model.modelId,
    supportedUrls: model.supportedUrls,
    doGenerate: calls.doGenerate,
    doStream: calls.doStream,
  };
}
