/**
 * The Embedder port on the AI SDK: batches texts through `embedMany` and guarantees what the
 * port promises (unit vectors of the configured dimension), whatever the provider returned.
 * @module
 */
import type { SharedV3ProviderOptions } from '@ai-sdk/provider';
import { embedMany, type EmbeddingModel } from 'ai';
import { DramaError } from '../domain/errors.js';
import type { Embedder } from '../domain/ports/embedder.js';
import { toModelError } from './model-errors.js';
import { modelTelemetry } from './model-telemetry.js';
import { chunked } from '../shared/chunked.js';

/** Options for {@link createEmbedder}. */
export interface EmbedderOptions {
  /** Any AI SDK embedding model object (not a gateway id string). */
  model: Exclude<EmbeddingModel, string>;
  /** The vector length the model returns; the memory store's vector column is sized by it. */
  dimensions: number;
  /** SDK-level retries. Default 2: embedding calls are cheap and idempotent. */
  maxRetries?: number;
  /** Provider options, e.g. `{ openai: { dimensions: 256 } }` to shorten OpenAI vectors. */
  providerOptions?: SharedV3ProviderOptions;
  /** Trace each call under this name (AI SDK telemetry; tracing on). Unset: no spans. */
  traceAs?: string;
  /**
   * The model computes in this process (the offline embedder): call its `doEmbed` directly.
   * `embedMany`'s retries, request headers and spans are for calls over the network; around an
   * in-process embedding they cost more than the embedding itself (a fetch `Headers` per call).
   */
  inProcess?: boolean;
}

/** Scale to unit length; a vector of the wrong size or without direction is a model fault. */
function toUnit(vector: number[], dimensions: number, index: number, modelId: string): number[] {
  if (vector.length !== dimensions) {
    throw new DramaError('model_output_invalid', `Embedding model ${modelId} returned ${vector.length} dimensions, expected ${dimensions}`, {
      details: { index, expected: dimensions, got: vector.length },
    });
  }
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (!Number.isFinite(norm) || norm === 0) {
    throw new DramaError('model_output_invalid', `Embedding model ${modelId} returned a zero or non-finite vector`, { details: { index } });
  }
  return Math.abs(norm - 1) < 1e-6 ? vector : vector.map((x) => x / norm);
}

/** `texts` through the model's own `doEmbed`, in calls of at most the model's batch size. */
async function embedInProcess(model: Exclude<EmbeddingModel, string>, texts: string[], signal: AbortSignal | undefined): Promise<number[][]> {
  const perCall = typeof model.maxEmbeddingsPerCall === 'number' ? model.maxEmbeddingsPerCall : texts.length;
  const out: number[][] = [];
  for (const values of chunked(texts, Math.max(1, perCall))) {
    const { embeddings } = await model.doEmbed({ values, ...(signal ? { abortSignal: signal } : {}) });
    out.push(...embeddings);
  }
  return out;
}

/** Create an Embedder. An empty batch returns `[]` without calling the model. */
export function createEmbedder(options: EmbedderOptions): Embedder {
  const { model, dimensions, maxRetries = 2, providerOptions } = options;
  const telemetry = modelTelemetry(options.traceAs);
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new DramaError('config_invalid', `Embedding dimensions must be a positive integer, got ${dimensions}`);
  }
  return {
    modelId: model.modelId,
    dimensions,
    async embed(texts: string[], opts: { signal?: AbortSignal } = {}): Promise<number[][]> {
      if (texts.length === 0) return [];
      let embeddings: number[][];
      try {
        embeddings = options.inProcess
          ? await embedInProcess(model, texts, opts.signal)
          : (await embedMany({ model, values: texts, maxRetries, abortSignal: opts.signal, providerOptions, experimental_telemetry: telemetry })).embeddings;
      } catch (err) {
        throw toModelError(err, 'embedder', opts.signal);
      }
      return embeddings.map((v, i) => toUnit(v, dimensions, i, model.modelId));
    },
  };
}
