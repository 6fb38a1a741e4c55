#!/usr/bin/env -S node --max-inlined-bytecode-size=115 --max-inlined-bytecode-size-cumulative=230 --interrupt-budget=135168
// The CLI. Its first line gives node the V8 flags of bin/v8-flags.js (so do the npm scripts and
// the Docker image). Runs the TypeScript CLI through tsx's loader so `npm start` needs no build step.
import { register } from 'tsx/esm/api';
import { v8FlagsNotApplied } from './v8-flags.js';

const ignored = v8FlagsNotApplied();
if (ignored.length > 0) process.stderr.write(`mock-drama: V8_FLAGS is not applied (${ignored.join(' ')}): give V8 flags on node's command line, as in \`node ${ignored.join(' ')} bin/mock-drama.js\`\n`);

register();
await import('../src/cli/main.ts');
