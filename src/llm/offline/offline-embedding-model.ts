/**
 * A deterministic, network-free `EmbeddingModelV3`: signed feature hashing of words (CJK as
 * unigrams + bigrams) and character trigrams into a fixed number of dimensions, L2-normalised.
 * Texts that share words or word pieces get a higher cosine than texts that do not; there is no
 * notion of synonyms. Good enough for memory recall in demos and tests.
 * @module
 */
import type { EmbeddingModelV3, EmbeddingModelV3CallOptions, EmbeddingModelV3Result } from '@ai-sdk/provider';
import { countTokens, isCjk, normalizeText, segmentWords, stemEnglish } from '../../shared/text.js';
import { FNV1A_BASIS, fnv1a, fnv1aFinish, fnv1aStep } from './offline-hash.js';

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
  addHashed(vec, fnv1a(feature), weight);
}

/** FNV-1a state after the code units of `g:` (the trigram features' prefix). */
const GRAM_PREFIX_STATE = fnv1aStep(fnv1aStep(FNV1A_BASIS, 0x67), 0x3a);

/**
 * The features `g:<abc>` of every three code points of `<word>`, hashed as {@link fnv1a} would
 * hash those strings, without building them: the same vectors, without a string per trigram.
 */
function addTrigrams(vec: Float64Array, word: string): void {
  // Code point boundaries of "<" + word + ">", as UTF-16 offsets into `word` (−1 and length+1 stand for the brackets).
  const starts: number[] = [-1];
  for (let i = 0; i < word.length; i++) {
    starts.push(i);
    const c = word.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < word.length) i++;
  }
  starts.push(word.length);
  const unitAt = (i: number) => (i < 0 ? 0x3c : i >= word.length ? 0x3e : word.charCodeAt(i));
  for (let g = 0; g + 3 <= starts.length; g++) {
    let h = GRAM_PREFIX_STATE;
    const end = g + 3 < starts.length ? starts[g + 3]! : word.length + 1;
    for (let i = starts[g]!; i < end; i++) h = fnv1aStep(h, unitAt(i));
    addHashed(vec, fnv1aFinish(h), GRAM_WEIGHT);
  }
}

function addHashed(vec: Float64Array, h: number, weight: number): void {
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
    addTrigrams(vec, w);
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
