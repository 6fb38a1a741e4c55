// The compiled server: src/ transpiled file by file into dist/ (same layout, so paths relative to
// a module, such as '../..' for the project root, hold in both), which bin/mock-drama.js runs
// when it was built from the current sources. Node then loads plain JavaScript: no TypeScript
// loader thread answering every import, which made up most of a process's start (README,
// "Compiled start").
import { cp } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { builtStamp, rebuildDirectory, sourcesStamp } from '../src/shared/built-dir.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SRC_DIR = join(ROOT, 'src');
export const DIST_DIR = join(ROOT, 'dist');

/** Tests and their fixtures stay out of the build and of its stamp. */
const notShipped = (name) => name === '__fixtures__' || name.endsWith('.test.ts');
const serverSourcesStamp = () => sourcesStamp([SRC_DIR], notShipped);

/**
 * Where the server's entry module is: dist/ when it was built from exactly the sources beside
 * it (or when there are no sources, as in an image that ships dist/ alone); null when the
 * sources must run through tsx. `stale`: dist/ exists but was built from other sources (an edit
 * since). One walk of the sources for both.
 */
export function compiledState() {
  const built = builtStamp(DIST_DIR);
  if (built === null) return { entry: null, stale: false };
  const sources = serverSourcesStamp();
  const current = sources === '0:0' || sources === built;
  return { entry: current ? join(DIST_DIR, 'cli', 'main.js') : null, stale: !current };
}

function tsFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !path.slice(dir.length).split('/').some(notShipped));
}

/**
 * Builds dist/ when missing or stale (always with `force`): esbuild, the transform tsx itself
 * applies (tsconfig.json's settings), one output file per source; the other files the code
 * loads at run time (plain .mjs threads, SQL migrations) are copied. Linked source maps are
 * written beside; Node reads them with --enable-source-maps.
 */
export async function buildServer({ force = false } = {}) {
  const started = performance.now();
  let files = 0;
  const result = await rebuildDirectory({
    dest: DIST_DIR,
    stamp: serverSourcesStamp,
    force,
    build: async (dir) => {
      const { build } = await import('esbuild');
      const entryPoints = tsFiles(SRC_DIR);
      files = entryPoints.length;
      await cp(SRC_DIR, dir, { recursive: true, filter: (path) => !path.endsWith('.ts') && !path.slice(SRC_DIR.length).split('/').some(notShipped) });
      await build({
        entryPoints,
        outdir: dir,
        outbase: SRC_DIR,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        sourcemap: 'linked',
        tsconfig: join(ROOT, 'tsconfig.json'),
        logLevel: 'warning',
      });
    },
  });
  return { result, files, ms: Math.round(performance.now() - started) };
}
