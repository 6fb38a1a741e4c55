/**
 * bin/v8-flags.js: the CLI's V8 settings (less TurboFan inlining by default; `V8_FLAGS` overrides,
 * empty keeps V8's own), and that what it sets really reaches V8 in a process that is running.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript beside the CLI's entry point, loaded before tsx is.
import { DEFAULT_V8_FLAGS, v8FlagsFrom } from '../../bin/v8-flags.js';

describe('V8 flags of the CLI', () => {
  it('defaults to smaller inlining budgets; V8_FLAGS replaces them, and empty keeps V8 as it is', () => {
    expect(v8FlagsFrom({})).toBe(DEFAULT_V8_FLAGS);
    expect(DEFAULT_V8_FLAGS).toMatch(/--max-inlined-bytecode-size=\d+/);
    expect(DEFAULT_V8_FLAGS).toMatch(/--max-inlined-bytecode-size-cumulative=\d+/);
    expect(v8FlagsFrom({ V8_FLAGS: '' })).toBe('');
    expect(v8FlagsFrom({ V8_FLAGS: ' --max-lazy ' })).toBe('--max-lazy');
  });

  it('sets them on the running process, before its code is compiled', () => {
    // --allow-natives-syntax only shows in code compiled after it is set: the %-call parses.
    const script = `
      import { applyV8Flags } from './bin/v8-flags.js';
      const applied = applyV8Flags({ V8_FLAGS: '--allow-natives-syntax ' + ${JSON.stringify(DEFAULT_V8_FLAGS)} });
      console.log(applied.split(' ').length, typeof new Function('return %IsBeingInterpreted()')());`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
    expect(out).toBe(`${DEFAULT_V8_FLAGS.split(' ').length + 1} boolean`);
    // Without it, the same line does not parse: the check can fail.
    expect(() => execFileSync(process.execPath, ['-e', "new Function('return %IsBeingInterpreted()')"], { stdio: 'pipe' })).toThrow(/SyntaxError/);
  });
});
