import { dirname, join } from 'node:path';
import { InkStoryEngine } from '../engine/ink/ink-story-engine.js';
import type { InkFiles } from '../domain/types.js';
import { readInkOnDisk } from '../runtime/ink-on-disk.js';

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
