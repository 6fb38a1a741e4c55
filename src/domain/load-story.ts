import { DramaError } from './errors.js';
import type { StoryRuntime } from './ports/story-engine.js';
import type { TurnDeps } from './turn-deps.js';

/**
 * Loads in flight per engine, so requests that find a version missing from the cache at the same
 * time (a process that just started, under load) read and parse it once: without this, each of a
 * hundred session starts read the same ~40 KB of compiled JSON, and the pool opened connections
 * to serve the burst.
 */
const loading = new WeakMap<object, Map<string, Promise<StoryRuntime>>>();

/** The runtime of a story version: from the process cache, else compiled JSON from the store. */
export async function loadStoryRuntime(deps: Pick<TurnDeps, 'engine' | 'store'>, storyId: string, hash: string): Promise<StoryRuntime> {
  const cached = deps.engine.cached(storyId, hash);
  if (cached) return cached;
  let inFlight = loading.get(deps.engine);
  if (!inFlight) loading.set(deps.engine, (inFlight = new Map()));
  const key = `${storyId}:${hash}`;
  let load = inFlight.get(key);
  if (!load) {
    const loads = inFlight;
    load = (async () => {
      const version = await deps.store.stories.getVersion(storyId, hash);
      if (!version) throw new DramaError('story_not_found', `Story ${storyId} version ${hash} not found`);
      return deps.engine.open(version);
    })().finally(() => loads.delete(key));
    inFlight.set(key, load);
  }
  return load;
}
