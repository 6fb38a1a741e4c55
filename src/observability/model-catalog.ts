/**
 * Bounded `provider` and `model` labels: the model ids providers report, mapped onto the
 * configured models.
 * @module
 */

/** A configured model, `provider:modelId`. */
export interface ModelRef {
  provider: string;
  modelId: string;
}

const OTHER_MODEL = { provider: 'unknown', model: 'other' } as const;

/**
 * Maps the model id a provider reports (often dated: `gpt-4o-mini-2024-07-18`) onto the configured
 * model it belongs to: exact match, else the longest configured id it starts with, else `other`.
 */
export class ModelCatalog {
  readonly #refs: ModelRef[];
  readonly #cache = new Map<string, { provider: string; model: string }>();

  constructor(refs: ModelRef[] = []) {
    const seen = new Set<string>();
    this.#refs = refs.filter((r) => {
      const key = `${r.provider}:${r.modelId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  labels(modelId: string): { provider: string; model: string } {
    const cached = this.#cache.get(modelId);
    if (cached) return cached;
    let best: ModelRef | undefined;
    for (const ref of this.#refs) {
      if (ref.modelId === modelId) {
        best = ref;
        break;
      }
      if (modelId.startsWith(ref.modelId) && (!best || ref.modelId.length > best.modelId.length)) best = ref;
    }
    const labels = best ? { provider: best.provider, model: best.modelId } : OTHER_MODEL;
    // Bounded: only ever as many entries as distinct ids the providers reported, and those map
    // onto the configured ids; the cache is capped anyway.
    if (this.#cache.size < 1000) this.#cache.set(modelId, labels);
    return labels;
  }
}
