/**
 * Installing stories: compile ink, store the compiled JSON under its content hash.
 * @module
 */
import { DramaError } from './errors.js';
import type { StoryRecord, StoryVisibility } from './types.js';
import type { TurnDeps } from './turn-deps.js';

export interface InstallStoryInput {
  source: string;
  /** Stable name within the owner's library (file name for shipped stories). */
  slug: string;
  /** Falls back to the `# title:` tag, then the slug. */
  title?: string;
  ownerId: string | null;
  /** Default: public for shipped stories (no owner), private for uploads. */
  visibility?: StoryVisibility;
}

/**
 * Compile and store a story. Bad ink throws `ink_compile_error` with `{line, message}` details
 * and stores nothing; an upload that compiles too long throws `compile_timeout`. Installing the same source again is a no-op returning the same version.
 */
export async function installStory(deps: Pick<TurnDeps, 'engine' | 'store'>, input: InstallStoryInput): Promise<StoryRecord> {
  // A user's upload is untrusted: it compiles off the event loop, with a time limit. Shipped
  // stories (no owner) come from the operator and compile in-process.
  const compiled = await deps.engine.compile(input.source, { untrusted: input.ownerId !== null });
  if (!compiled.ok) {
    throw new DramaError('ink_compile_error', `The ink source has ${compiled.errors.length} error(s)`, {
      details: compiled.errors.map(({ line, message }) => ({ line, message })),
    });
  }
  const existing = await deps.store.stories.getStoryBySlug(input.slug, input.ownerId);
  if (existing && existing.currentVersion === compiled.hash && (input.visibility === undefined || input.visibility === existing.visibility)) return existing;

  return deps.store.stories.saveStory({
    slug: input.slug,
    title: input.title ?? compiled.title ?? input.slug,
    ownerId: input.ownerId,
    source: input.source,
    ...(input.visibility ? { visibility: input.visibility } : {}),
    version: {
      storyId: existing?.id ?? '',
      hash: compiled.hash,
      compiledJson: compiled.compiledJson,
      writableVariables: compiled.writableVariables,
    },
  });
}
