import type { CompileOutput, StoryEngine, StoryRuntime } from '../../domain/ports/story-engine.js';
import type { StoryVersion } from '../../domain/types.js';
import { LruCache } from '../../shared/lru-cache.js';
import { compileInk } from './compile-ink.js';
import { InkStoryRuntime } from './ink-story-runtime.js';

export interface InkStoryEngineOptions {
  /** How many loaded story versions to keep per process (the design's lru_cache(maxsize=100)). */
  cacheSize?: number;
}

/** The inkjs-backed {@link StoryEngine}: runtime compilation and an LRU of loaded stories. */
export class InkStoryEngine implements StoryEngine {
  readonly #cache: LruCache<string, InkStoryRuntime>;
  #loads = 0;

  constructor(options: InkStoryEngineOptions = {}) {
    this.#cache = new LruCache(options.cacheSize ?? 100);
  }

  compile(source: string): CompileOutput {
    return compileInk(source);
  }

  cached(storyId: string, hash: string): StoryRuntime | undefined {
    return this.#cache.get(`${storyId}:${hash}`);
  }

  open(version: StoryVersion): StoryRuntime {
    const key = `${version.storyId}:${version.hash}`;
    let runtime = this.#cache.get(key);
    if (!runtime) {
      runtime = new InkStoryRuntime(version);
      this.#loads += 1;
      this.#cache.set(key, runtime);
    }
    return runtime;
  }

  /** Loads that missed the cache, for tests and metrics. */
  get loads(): number {
    return this.#loads;
  }
}
