/**
 * ink stories on disk: a main file with the files its INCLUDEs pull in (relative to the main
 * file's folder, as ink resolves them), and which files of a folder are stories of their own.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative } from 'node:path';
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

/**
 * The files of `names` (in `dir`) that no other of them INCLUDEs: the stories. A chapter pulled in
 * by INCLUDE is part of its story, not a story of its own.
 */
export async function storyRoots(dir: string, names: string[]): Promise<string[]> {
  const included = new Set<string>();
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    for (const m of text.matchAll(INCLUDE)) included.add(normalize(join(dirname(name), m[1]!)));
  }
  return names.filter((name) => !included.has(normalize(name)));
}
