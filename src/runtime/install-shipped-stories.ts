import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isDramaError } from '../domain/errors.js';
import { installStory } from '../domain/stories.js';
import type { TurnDeps } from '../domain/turn-deps.js';
import { readInkOnDisk, storyRoots } from './ink-on-disk.js';

/**
 * Install every `*.ink` in `dir` as a shipped story (no owner, slug = file name), with the files its
 * INCLUDEs pull in; a file another one INCLUDEs is a chapter, not a story. Runs at each start; an
 * unchanged story is a no-op, an edited one becomes the story's new version.
 */
export async function installShippedStories(deps: Pick<TurnDeps, 'engine' | 'store' | 'logger'>, dir: string): Promise<number> {
  let files: string[];
  try {
    files = await storyRoots(dir, (await readdir(dir)).filter((f) => f.endsWith('.ink')).sort());
  } catch {
    deps.logger.warn({ dir }, 'stories directory not found; no shipped stories installed');
    return 0;
  }
  let installed = 0;
  for (const file of files) {
    const slug = basename(file, '.ink');
    try {
      const story = await installStory(deps, { source: await readInkOnDisk(join(dir, file)), slug, ownerId: null, visibility: 'public' });
      deps.logger.debug({ slug, storyId: story.id, version: story.currentVersion }, 'story installed');
      installed += 1;
    } catch (err) {
      const details = isDramaError(err) ? err.details : undefined;
      deps.logger.error({ file, err: isDramaError(err) ? err.message : String(err), details }, 'shipped story failed to compile');
    }
  }
  return installed;
}
