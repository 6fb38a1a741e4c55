#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader so `npm start` needs no build step.
import { register } from 'tsx/esm/api';
import { applyV8Flags } from './v8-flags.js';

// First, so that no code of ours is optimized under other settings.
applyV8Flags();
register();
await import('../src/cli/main.ts');
