import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { compileKernel } from '../../../scripts/build-wasm.js';

it('the shipped WebAssembly module is the compiled int8-dot.wat (run `npm run wasm:build` after editing it)', async () => {
  expect(readFileSync(new URL('./int8-dot-wasm.ts', import.meta.url), 'utf8')).toBe(await compileKernel());
});
