#!/usr/bin/env node
// The CLI. The npm scripts, the Docker image and the deploy files start it with the V8 flags of
// bin/v8-flags.js on node's command line. Its own first line names node alone: `env -S`, which
// could carry them, is missing from BusyBox (Alpine's node images) and older coreutils, where it
// stopped the CLI from starting at all; run directly, it runs with V8's defaults.
// Runs the compiled server in dist/ when it was built from the current sources (`mock-drama
// build`, run by `npm install` and the Docker image), otherwise the TypeScript sources through
// tsx's loader, so a checkout runs with no build step and an edit is never shadowed by an older
// build.
import { existsSync } from 'node:fs';
import { buildServer, compiledState } from './server-build.js';
import { v8FlagsNotApplied } from './v8-flags.js';

const ignored = v8FlagsNotApplied();
if (ignored.length > 0) process.stderr.write(`mock-drama: V8_FLAGS is not applied (${ignored.join(' ')}): give V8 flags on node's command line, as in \`node ${ignored.join(' ')} bin/mock-drama.js\`\n`);

if (process.argv[2] === 'build') {
  // Here rather than in src/cli: it builds what src/cli becomes, and needs no loader to run.
  const force = process.argv.includes('--force');
  const { result, files, ms } = await buildServer({ force });
  console.log(result === 'fresh' ? 'dist/ is current (built from the sources as they are); --force builds it again.' : `Built dist/ from ${files} TypeScript files in ${ms} ms.`);
  // A new embedded database then starts from a copy instead of running initdb (~4 s).
  const { makePgliteTemplate, pgliteTemplatePath } = await import('../src/storage/pglite-template.mjs');
  const path = pgliteTemplatePath();
  if (path && !existsSync(path)) {
    const started = performance.now();
    process.stdout.write("Making a new embedded database's starting copy (once per PGlite version)... ");
    const made = await makePgliteTemplate(path);
    console.log(made ? `done in ${((performance.now() - started) / 1000).toFixed(1)} s (${path}).` : 'could not write it; new databases run initdb.');
  }
} else {
  const { entry, stale } = compiledState();
  if (entry) {
    await import(entry);
  } else {
    if (stale) process.stderr.write('mock-drama: dist/ is older than src/, so the sources run through tsx (`npm run build` for the faster start)\n');
    const { register } = await import('tsx/esm/api');
    register();
    await import('../src/cli/main.ts');
  }
}
