/**
 * A per-provider limit on model calls in flight, shared by every turn of the process: bursts
 * queue here instead of tripping the provider's rate limits. A stream holds its slot until it
 * ends, errors or is cancelled.
 * @module
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { watchStream } from './watch-stream.js';
import { wrapModel } from './wrap-model.js';

export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    this.#free = limit;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.#free > 0) {
      this.#free -= 1;
    } else {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = this.#waiting.indexOf(grant);
          if (i >= 0) this.#waiting.splice(i, 1);
          reject(signal!.reason);
        };
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        this.#waiting.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    };
  }

  /** Calls waiting for a slot right now. */
  get waiting(): number {
    return this.#waiting.length;
  }
}

/** Wrap a model so each call first takes a slot of `semaphore`. */
export function limitConcurrency(model: LanguageModelV3, semaphore: Semaphore): LanguageModelV3 {
  return wrapModel(model, {
    async doGenerate(options) {
      const release = await semaphore.acquire(options.abortSignal);
      try {
        return await model.doGenerate(options);
      } finally {
        release();
      }
    },
    async doStream(options) {
      const release = await semaphore.acquire(options.abortSignal);
      try {
        const result = await model.doStream(options);
        // The slot is held until the stream ends, fails or its reader gives up.
        return { ...result, stream: watchStream(result.stream, () => release()) };
      } catch (err) {
        release();
        throw err;
      }
    },
  });
}
