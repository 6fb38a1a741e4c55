import { Compiler } from 'inkjs/compiler/Compiler';
import { describe, expect, it } from 'vitest';
import { InkStoryEngine } from '../engine/ink/ink-story-engine.js';
import { loadStoryRuntime } from './load-story.js';
import type { StoryVersion } from './types.js';

const compiledJson = new Compiler('Hello.\n* [Wave] You wave.\n-> END\n').Compile().ToJson()!;

/** A store that counts its reads and answers them a little later (as a database would). */
function storeWith(versions: StoryVersion[]) {
  const reads: string[] = [];
  const store = {
    stories: {
      async getVersion(storyId: string, hash: string) {
        reads.push(`${storyId}:${hash}`);
        await new Promise((r) => setTimeout(r, 5));
        return versions.find((v) => v.storyId === storyId && v.hash === hash) ?? null;
      },
    },
  };
  return { reads, store: store as never };
}

describe('loadStoryRuntime', () => {
  it('reads a version once for any number of requests that miss the cache together', async () => {
    const engine = new InkStoryEngine();
    const { reads, store } = storeWith([{ storyId: 's', hash: 'h1', compiledJson, writableVariables: [] }]);
    const runtimes = await Promise.all(Array.from({ length: 50 }, () => loadStoryRuntime({ engine, store }, 's', 'h1')));
    expect(reads).toEqual(['s:h1']);
    expect(new Set(runtimes).size).toBe(1);
    // Cached from now on: no further read.
    await loadStoryRuntime({ engine, store }, 's', 'h1');
    expect(reads).toHaveLength(1);
  });

  it('fails every waiter on a missing version, and reads again on the next request', async () => {
    const engine = new InkStoryEngine();
    const { reads, store } = storeWith([]);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => loadStoryRuntime({ engine, store }, 's', 'gone')));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'story_not_found')).toBe(true);
    expect(reads).toHaveLength(1);
    await expect(loadStoryRuntime({ engine, store }, 's', 'gone')).rejects.toMatchObject({ code: 'story_not_found' });
    expect(reads).toHaveLength(2);
  });

  it('keeps versions and engines apart', async () => {
    const [a, b] = [new InkStoryEngine(), new InkStoryEngine()];
    const versions = ['h1', 'h2'].map((hash) => ({ storyId: 's', hash, compiledJson, writableVariables: [] }));
    const { reads, store } = storeWith(versions);
    await Promise.all([loadStoryRuntime({ engine: a, store }, 's', 'h1'), loadStoryRuntime({ engine: a, store }, 's', 'h2'), loadStoryRuntime({ engine: b, store }, 's', 'h1')]);
    expect(reads.sort()).toEqual(['s:h1', 's:h1', 's:h2']);
  });
});
