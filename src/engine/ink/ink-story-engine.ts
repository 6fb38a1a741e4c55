import { LRUCache } from 'lru-cache';
import type { CompileOutput, InkFiles, StoryEngine, StoryRuntime } from '../../domain/ports/story-engine.js';
import type { StoryVersion } from '../../domain/types.js';
import { COMPILER_ID, compileInk, finishCompile } from './compile-ink.js';
import { CompilePool } from './compile-pool.js';
import { InkStoryRuntime } from './ink-story-runtime.js';

export interface InkStoryEngineOptions {
  /** How many loaded story versions to keep per process (the design's lru_cache(maxsize=100)). */
  cacheSize?: number;
  /** Time limit of an untrusted compile (default 20 s); it runs in a worker thread. */
  compileTimeoutMs?: number;
}

/** The inkjs-backed {@link StoryEngine}: runtime compilation and an LRU of loaded stories. */
export class InkStoryEngine implements StoryEngine {
  readonly compilerId = COMPILER_ID;
  readonly #cache: LRUCache<string, InkStoryRuntime>;
  readonly #compileTimeoutMs: number;
  /** Started on the first untrusted compile: most processes never need it. */
  #pool: CompilePool | undefined;
  #loads = 0;

  constructor(options: InkStoryEngineOptions = {}) {
    this.#cache = new LRUCache({ max: options.cacheSize ?? 100 });
    this.#compileTimeoutMs = options.compileTimeoutMs ?? 20_000;
  }

  async compile(source: string | InkFiles, opts: { untrusted?: boolean } = {}): Promise<CompileOutput> {
    if (!opts.untrusted) return compileInk(source);
    this.#pool ??= new CompilePool({ timeoutMs: this.#compileTimeoutMs });
    return finishCompile(await this.#pool.compile(source), source);
  }

  /** Stop the compile workers, if any were started. */
  async close(): Promise<void> {
    await this.#pool?.close();
    this.#pool = undefined;
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
