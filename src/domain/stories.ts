/**
 * Installing stories: compile ink, store the compiled JSON under its content hash.
 * @module
 */
import { createHash } from 'node:crypto';
import { DramaError } from './errors.js';
import type { InkFiles, StoryRecord, StoryVisibility } from './types.js';
import type { TurnDeps } from './turn-deps.js';

export interface InstallStoryInput {
  /** One ink file, or several whose INCLUDEs name each other. */
  source: string | InkFiles;
  /** Stable name within the owner's library (file name for shipped stories). */
  slug: string;
  /** Falls back to the `# title:` tag, then the slug. */
  title?: string;
  ownerId: string | null;
  /** Default: public for shipped stories (no owner), private for uploads. */
  visibility?: StoryVisibility;
}

/**
 * A hash of a story's source (every file, and which one is compiled) and of the compiler that
 * reads it: compiling the same source with the same compiler gives the same version.
 */
export function storySourceKey(compilerId: string, source: string | InkFiles): string {
  const hash = createHash('sha256').update(`${compilerId}\0`);
  if (typeof source === 'string') hash.update('\0').update(source);
  else {
    hash.update(`${source.main}\0`);
    // Each name and length goes in before its text, so no two different sets hash alike.
    for (const name of Object.keys(source.files).sort()) {
      const text = source.files[name] ?? '';
      hash.update(`${name}\0${text.length}\0`).update(text);
    }
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * Compile and store a story. Bad ink throws `ink_compile_error` with `{line, message}` details
 * and stores nothing; an upload that compiles too long throws `compile_timeout`. Installing the
 * same source again is a no-op returning the same version, and does not compile it again while
 * the compiler is the same one (every web process installs the shipped stories at its start).
 */
export async function installStory(deps: Pick<TurnDeps, 'engine' | 'store'>, input: InstallStoryInput): Promise<StoryRecord> {
  const sourceKey = storySourceKey(deps.engine.compilerId, input.source);
  const existing = await deps.store.stories.getStoryBySlug(input.slug, input.ownerId);
  const sameVisibility = input.visibility === undefined || input.visibility === existing?.visibility;
  if (existing && existing.sourceKey === sourceKey && sameVisibility) return existing;

  // A user's upload is untrusted: it compiles off the event loop, with a time limit. Shipped
  // stories (no owner) come from the operator and compile in-process.
  const compiled = await deps.engine.compile(input.source, { untrusted: input.ownerId !== null });
  if (!compiled.ok && compiled.unboundExternals) {
    const names = compiled.unboundExternals.map((u) => u.name).join(', ');
    throw new DramaError('ink_unbound_external', `The story calls EXTERNAL function(s) with no ink fallback: ${names}`, {
      details: compiled.unboundExternals.map(({ name, line, file }) => ({ function: name, line, ...(file ? { file } : {}) })),
    });
  }
  if (!compiled.ok) {
    throw new DramaError('ink_compile_error', `The ink source has ${compiled.errors.length} error(s)`, {
      details: compiled.errors.map(({ file, line, message }) => ({ ...(file ? { file } : {}), line, message })),
    });
  }
  // The same version again from a source or a compiler not yet keyed (an edit that changed no
  // story, a new inkjs, a row stored before keys were) is stored again all the same, with its
  // title kept as before: it records the source and its key, so the next install skips.
  const sameVersion = existing?.currentVersion === compiled.hash;
  return deps.store.stories.saveStory({
    slug: input.slug,
    title: sameVersion && existing ? existing.title : (input.title ?? compiled.title ?? input.slug),
    ownerId: input.ownerId,
    source: typeof input.source === 'string' ? input.source : (input.source.files[input.source.main] ?? ''),
    sourceFiles: typeof input.source === 'string' ? null : input.source,
    sourceKey,
    ...(input.visibility ? { visibility: input.visibility } : {}),
    version: {
      storyId: existing?.id ?? '',
      hash: compiled.hash,
      compiledJson: compiled.compiledJson,
      writableVariables: compiled.writableVariables,
    },
  });
}

/** At most this many files in a story of several. */
export const MAX_INK_FILES = 64;
/** A file name as INCLUDE writes it: relative, forward slashes, ending in .ink, no `..`. */
const INK_FILE_NAME = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[\p{L}\p{N}_][\p{L}\p{N}_ .\-/]{0,199}\.ink$/u;

/** Refuse a set of files that could not be an ink story: bad names, too many, or no main file among them. */
export function assertInkFiles(source: InkFiles): void {
  const names = Object.keys(source.files);
  const problems: { path: string; message: string }[] = [];
  if (names.length === 0) problems.push({ path: 'files', message: 'at least one file' });
  if (names.length > MAX_INK_FILES) problems.push({ path: 'files', message: `at most ${MAX_INK_FILES} files` });
  for (const name of names) {
    if (!INK_FILE_NAME.test(name) || name.includes('//')) problems.push({ path: `files.${name}`, message: 'a relative name ending in .ink, without ".." (like "ch1.ink" or "parts/ch2.ink")' });
  }
  if (!Object.hasOwn(source.files, source.main)) problems.push({ path: 'main', message: `"${source.main}" is not among the files` });
  if (problems.length > 0) throw new DramaError('bad_request', `Invalid story files: ${problems.map((p) => p.path).join(', ')}`, { details: problems });
}
