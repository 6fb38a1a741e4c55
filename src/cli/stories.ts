import { readFile } from 'node:fs/promises';
import { InkStoryEngine } from '../engine/ink/ink-story-engine.js';

/** `mock-drama stories compile <file>`: exit 0 when the story compiles, 1 with errors listed. */
export async function runStories(args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'compile' || !file) {
    console.error('Usage: mock-drama stories compile <file.ink>');
    return 2;
  }
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    console.error(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    return 1;
  }
  process.stderr.write(`Compiling ${file}…\n`);
  const started = performance.now();
  const out = await new InkStoryEngine().compile(source);
  const ms = Math.round(performance.now() - started);
  if (!out.ok) {
    for (const e of out.errors) console.error(`${file}:${e.line}: error: ${e.message}`);
    console.error(`${out.errors.length} error(s)`);
    return 1;
  }
  for (const w of out.warnings) console.error(`${file}:${w.line}: warning: ${w.message}`);
  const writable = out.writableVariables.map((v) => `${v.name}:${v.type}`).join(', ') || 'none';
  console.log(`${file}: ok in ${ms} ms — "${out.title ?? '(no title)'}", version ${out.hash.slice(0, 12)}, judge may write: ${writable}`);
  return 0;
}
