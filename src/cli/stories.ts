import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { InkStoryEngine } from '../engine/ink/ink-story-engine.js';
import type { InkFiles } from '../domain/types.js';

const INCLUDE = /^\s*INCLUDE\s+(.+?)\s*$/gm;

/**
 * The file and, following its INCLUDEs on disk (relative to the main file's folder, as ink
 * resolves them), every file it pulls in: one source when there is no INCLUDE, else `{main, files}`.
 */
export async function readInkOnDisk(path: string): Promise<string | InkFiles> {
  const root = dirname(path);
  const files: Record<string, string> = {};
  const pending = [path];
  while (pending.length > 0) {
    const next = pending.shift()!;
    const name = relative(root, next).split('\\').join('/');
    if (Object.hasOwn(files, name)) continue;
    const text = await readFile(next, 'utf8');
    files[name] = text;
    // A missing INCLUDE is left for the compiler to report, with its file and line.
    for (const m of text.matchAll(INCLUDE)) pending.push(join(root, m[1]!));
  }
  const main = relative(root, path).split('\\').join('/');
  return Object.keys(files).length === 1 ? files[main]! : { main, files };
}

/** `mock-drama stories compile <file>`: exit 0 when the story compiles, 1 with errors listed. */
export async function runStories(args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'compile' || !file) {
    console.error('Usage: mock-drama stories compile <file.ink>');
    return 2;
  }
  let source: string | InkFiles;
  try {
    source = await readInkOnDisk(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    console.error(`${e.path ?? file}: cannot read (${e.code ?? String(err)})`);
    return 1;
  }
  const count = typeof source === 'string' ? 1 : Object.keys(source.files).length;
  process.stderr.write(`Compiling ${file}${count > 1 ? ` and ${count - 1} included file(s)` : ''}…\n`);
  const started = performance.now();
  const out = await new InkStoryEngine().compile(source);
  const ms = Math.round(performance.now() - started);
  const where = (d: { file?: string; line: number }) => (d.file ? join(dirname(file), d.file) : file) + `:${d.line}`;
  if (!out.ok) {
    for (const e of out.errors) console.error(`${where(e)}: error: ${e.message}`);
    console.error(`${out.errors.length} error(s)`);
    return 1;
  }
  for (const w of out.warnings) console.error(`${where(w)}: warning: ${w.message}`);
  const writable = out.writableVariables.map((v) => `${v.name}:${v.type}`).join(', ') || 'none';
  console.log(`${file}: ok in ${ms} ms — "${out.title ?? '(no title)'}", version ${out.hash.slice(0, 12)}, judge may write: ${writable}`);
  return 0;
}
