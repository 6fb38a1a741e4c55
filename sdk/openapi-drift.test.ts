/**
 * The committed SDK types must be what openapi-typescript makes of the app's OpenAPI document
 * today: a schema or route change without `npm run sdk:generate` fails here.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderSdkTypes, SDK_TYPES_PATH } from '../scripts/generate-sdk.js';

/** Where two texts first differ, with a little context, for a readable failure. */
function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const i = left.findIndex((line, n) => line !== right[n]);
  const at = i < 0 ? left.length : i;
  const show = (lines: string[]) => lines.slice(Math.max(0, at - 2), at + 3).join('\n');
  return `first difference at line ${at + 1}\n--- committed\n${show(left)}\n--- generated\n${show(right)}`;
}

describe('sdk/openapi.d.ts', () => {
  it('matches the types generated from the live OpenAPI document (run `npm run sdk:generate` if not)', async () => {
    const [committed, generated] = await Promise.all([readFile(SDK_TYPES_PATH, 'utf8'), renderSdkTypes()]);
    expect(committed === generated, `sdk/openapi.d.ts is out of date: run \`npm run sdk:generate\`\n${committed === generated ? '' : firstDifference(committed, generated)}`).toBe(true);
  });
});
