/**
 * The configuration reference (README.md, "Configuration", and the sections it links) names every
 * variable the code reads, and only src/config/env.ts reads the environment.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../src/config/env.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === '__fixtures__' ? [] : files(p);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

/** The reference: README.md (its "Configuration" table and the sections on models, memory, distribution) and the deploy and security docs. */
const REFERENCE_FILES = ['README.md', 'deploy/README.md', 'deploy/observability/README.md', 'docs/security.md'];
const reference = REFERENCE_FILES.map((f) => readFileSync(f, 'utf8')).join('\n');

describe('configuration reference', () => {
  it('documents every variable of src/config/env.ts', () => {
    const undocumented = Object.keys(envSchema.shape).filter((name) => !reference.includes(`\`${name}\``));
    expect(undocumented, `document these (in backticks) in ${REFERENCE_FILES.join(', ')}`).toEqual([]);
  });

  it('reads process.env only in src/config/env.ts', () => {
    const readers = files('src').filter((f) => f !== join('src', 'config', 'env.ts') && /process\.env\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(readers, 'take these from the validated configuration (loadEnv) instead').toEqual([]);
  });
});
