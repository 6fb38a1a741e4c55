/**
 * Installing stories: compile ink, store the compiled JSON under its content hash.
 * @module
 */
import { DramaError } from './errors.js';
import type { StoryRecord } from './types.js';
import type { TurnDeps } from './turn-deps.js';

export interface InstallStoryInput {
  source: string;
  /** Stable name within the owner's library (file name for shipped stories). */
  slug: string;
  /** Falls back to the `# title:` tag, then the slug. */
  title?: string;
  ownerId: string | null;
}

/**
 * Compile and store a story. Bad ink throws `ink_compile_error` with `{line, message}` details
 * and stores nothing. Installing the same source again is a no-op returning the same version.
 */
export async function installStory(deps: Pick<TurnDeps, 'engine' | 'store'>, input: InstallStoryInput): Promise<StoryRecord> {
  const compiled = deps.engine.compile(input.source);
  if (!compiled.ok) {
    throw new DramaError('ink_compile_error', `The ink source has ${compiled.errors.length} error(s)`, {
      details: compiled.errors.map(({ line, message }) => ({ line, message })),
    });
  }
  const existing = await deps.store.stories.getStoryBySlug(input.slug, input.ownerId);
  if (existing && existing.currentVersion === compiled.hash) return existing;

  return deps.store.stories.saveStory({
    slug: input.slug,
    title: input.title ?? compiled.title ?? input.slug,
    ownerId: input.ownerId,
    source: input.source,
    version: {
      storyId: existing?.id ?? '',
      hash: compiled.hash,
      compiledJson: compiled.compiledJson,
      writableVariables: compiled.writableVariables,
    },
  });
}
