import { DramaError } from './errors.js';
import type { StoryRuntime } from './ports/story-engine.js';
import type { TurnDeps } from './turn-deps.js';

/** The runtime of a story version: from the process cache, else compiled JSON from the store. */
export async function loadStoryRuntime(deps: Pick<TurnDeps, 'engine' | 'store'>, storyId: string, hash: string): Promise<StoryRuntime> {
  const cached = deps.engine.cached(storyId, hash);
  if (cached) return cached;
  const version = await deps.store.stories.getVersion(storyId, hash);
  if (!version) throw new DramaError('story_not_found', `Story ${storyId} version ${hash} not found`);
  return deps.engine.open(version);
}
