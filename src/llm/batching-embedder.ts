/**
 * Coalesces concurrent embed() calls (the design's `batch_generate`): texts arriving within a
 * short window go to the provider as one request, which is what providers bill and rate-limit by.
 * @module
 */
import type { Embedder } from '../domain/ports/embedder.js';

export interface BatchingOptions {
  /** How long to wait for more texts after the first one (ms). */
  windowMs: number;
  /** Flush at once when this many texts are waiting. */
  maxBatch: number;
}

interface Pending {
  texts: string[];
  resolve: (vectors: number[][]) => void;
  reject: (err: unknown) => void;
}

export class BatchingEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  #queue: Pending[] = [];
  #queued = 0;
  #timer: NodeJS.Timeout | null = null;
  /** Provider requests made, for tests and metrics. */
  batches = 0;

  constructor(
    readonly inner: Embedder,
    readonly options: BatchingOptions,
  ) {
    this.modelId = inner.modelId;
    this.dimensions = inner.dimensions;
  }

  embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#queue.push({ texts, resolve, reject });
      this.#queued += texts.length;
      if (this.#queued >= this.options.maxBatch) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.options.windowMs);
    });
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    if (batch.length === 0) return;
    this.batches += 1;
    this.inner.embed(batch.flatMap((p) => p.texts)).then(
      (vectors) => {
        let offset = 0;
        for (const p of batch) {
          p.resolve(vectors.slice(offset, offset + p.texts.length));
          offset += p.texts.length;
        }
      },
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
  }
}
