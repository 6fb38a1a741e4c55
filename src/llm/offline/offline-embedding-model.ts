/**
 * A deterministic, network-free `EmbeddingModelV3`: signed feature hashing of words (CJK as
 * unigrams + bigrams) and character trigrams into a fixed number of dimensions, L2-normalised.
 * Texts that share words or word pieces get a higher cosine than texts that do not; there is no
 * notion of synonyms. Good enough for memory recall in demos and tests.
 * @module
 */
import type { EmbeddingModelV3, EmbeddingModelV3CallOptions, EmbeddingModelV3Result } from '@ai-sdk/provider';
import { countTokens, isCjk, normalizeText, segmentWords, stemEnglish } from '../../shared/text.js';
import { fnv1a } from './offline-hash.js';

/** Settings for {@link OfflineEmbeddingModel}. */
export interface OfflineEmbeddingSettings {
  /** Vector length. Default 256. */
  dimensions?: number;
}

/** Vector length when none is configured; small enough for fast pgvector scans in demos. */
export const DEFAULT_OFFLINE_DIMENSIONS = 256;

// Word features carry the meaning; trigrams only smooth over inflection, so they weigh less.
const WORD_WEIGHT = 1;
const GRAM_WEIGHT = 0.35;
// Text with no features (empty, whitespace, punctuation only) still needs a unit vector, because
// a zero vector has no cosine. It gets this sentinel feature: all such texts embed identically
// and are roughly orthogonal to everything else.
const EMPTY_FEATURE = '\u0000empty';

function addFeature(vec: Float64Array, feature: string, weight: number): void {
  const h = fnv1a(feature);
  // Low bits pick the slot, the top bit the sign, so collisions cancel out on average.
  const sign = h & 0x80000000 ? -1 : 1;
  vec[h % vec.length]! += sign * weight;
}

function l2(vec: Float64Array): number {
  let sum = 0;
  for (const x of vec) sum += x * x;
  return Math.sqrt(sum);
}

/**
 * Embed one text. Always returns a unit vector of `dimensions` numbers; see {@link EMPTY_FEATURE}
 * for text without words.
 */
export function hashEmbedding(text: string, dimensions = DEFAULT_OFFLINE_DIMENSIONS): number[] {
  const vec = new Float64Array(dimensions);
  let words = segmentWords(text, { dropStopwords: true });
  // Text made only of stopwords ("I am") keeps them rather than collapsing to the empty vector.
  if (words.length === 0) words = segmentWords(text);
  for (const w of words) addFeature(vec, `w:${isCjk(w) ? w : stemEnglish(w)}`, WORD_WEIGHT);
  for (const w of words) {
    if (isCjk(w)) continue;
    const chars = Array.from(`<${w}>`);
    for (let i = 0; i + 3 <= chars.length; i++) addFeature(vec, `g:${chars.slice(i, i + 3).join('')}`, GRAM_WEIGHT);
  }
  let norm = l2(vec);
  if (norm === 0) {
    // No words at all ("!!!", ""): fall back to the normalised text itself.
    const rest = normalizeText(text).trim();
    addFeature(vec, rest.length > 0 ? `t:${rest}` : EMPTY_FEATURE, 1);
    norm = l2(vec);
  }
  return Array.from(vec, (x) => x / norm);
}

/** Cosine similarity of two equal-length vectors (plain dot product for unit vectors). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    na += a[i]! * a[i]!;
    nb += (b[i] ?? 0) * (b[i] ?? 0);
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The offline embedding model, model id `offline-embedding`. */
export class OfflineEmbeddingModel implements EmbeddingModelV3 {
  readonly specificationVersion = 'v3';
  readonly provider = 'offline';
  readonly modelId: string;
  readonly maxEmbeddingsPerCall = 2048;
  readonly supportsParallelCalls = true;
  readonly dimensions: number;

  constructor(modelId = 'offline-embedding', settings: OfflineEmbeddingSettings = {}) {
    this.modelId = modelId;
    this.dimensions = settings.dimensions ?? DEFAULT_OFFLINE_DIMENSIONS;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 1) throw new RangeError(`dimensions must be a positive integer, got ${this.dimensions}`);
  }

  /** Embed every value; the usage figure is the `countTokens` estimate. */
  async doEmbed(options: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
    if (options.abortSignal?.aborted) throw options.abortSignal.reason ?? new DOMException('The operation was aborted', 'AbortError');
    return {
      embeddings: options.values.map((v) => hashEmbedding(v, this.dimensions)),
      usage: { tokens: options.values.reduce((n, v) => n + countTokens(v), 0) },
      warnings: [],
    };
  }
}
