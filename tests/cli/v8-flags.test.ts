/**
 * The CLI's V8 flags (bin/v8-flags.js) reach node on its command line wherever the project starts
 * it: the npm scripts (the Docker image and Railway are checked in deploy-files.test.ts). The
 * CLI's own first line names node alone, so it starts under any `env` (BusyBox's has no `-S`).
 * Nothing sets V8 flags in a running process: that can abort it (bench/tools/v8-flag-race.mjs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_V8_FLAGS, v8FlagsNotApplied } from '../../bin/v8-flags.js';

const PKG = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

describe('V8 flags of the CLI', () => {
  it('are smaller inlining budgets and a longer interrupt budget, printed by `node bin/v8-flags.js`', () => {
    expect(DEFAULT_V8_FLAGS).toMatch(/^--max-inlined-bytecode-size=\d+ --max-inlined-bytecode-size-cumulative=\d+ --interrupt-budget=\d+$/);
    expect(execFileSync(process.execPath, ['bin/v8-flags.js'], { encoding: 'utf8' }).trim()).toBe(DEFAULT_V8_FLAGS);
  });

  it('are on node\'s command line in npm start and npm run play', () => {
    expect(PKG.scripts.start).toBe(`node ${DEFAULT_V8_FLAGS} bin/mock-drama.js all`);
    expect(PKG.scripts.play).toBe(`node ${DEFAULT_V8_FLAGS} bin/mock-drama.js play`);
  });

  it('the CLI runs as a program through a first line every `env` reads, with V8\'s defaults', () => {
    // `#!/usr/bin/env -S node <flags>` made BusyBox's env (Alpine) refuse to start it: the first
    // line names the interpreter and nothing else.
    expect(readFileSync('bin/mock-drama.js', 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    // The real file executed (the kernel reads its first line); a module preloaded through
    // NODE_OPTIONS (which execArgv does not list) reports node's own arguments.
    const dir = mkdtempSync(join(tmpdir(), 'md-v8-'));
    const probe = join(dir, 'probe.mjs');
    writeFileSync(probe, "process.stderr.write('execArgv ' + JSON.stringify(process.execArgv) + '\\n');\n");
    try {
      const run = spawnSync(join(process.cwd(), 'bin/mock-drama.js'), ['help'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--import=${probe}` } });
      expect(run.status).toBe(0);
      expect(run.stderr).toContain('execArgv []');
      expect(run.stdout).toContain('mock-drama');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are never set from inside a running process', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.(m?js|ts)$/.test(e.name)).map((e) => join(e.parentPath, e.name));
    const setters = [...files('bin'), ...files('src')].filter((f) => /setFlagsFromString\s*\(/.test(readFileSync(f, 'utf8')));
    expect(setters).toEqual([]);
  });

  it('V8_FLAGS is no longer applied: the CLI says so when node was not started with them', () => {
    expect(v8FlagsNotApplied({}, [])).toEqual([]);
    expect(v8FlagsNotApplied({ V8_FLAGS: ' ' }, [])).toEqual([]);
    expect(v8FlagsNotApplied({ V8_FLAGS: '--max-lazy --stack-size=900' }, ['--stack-size=900'])).toEqual(['--max-lazy']);
    const run = (nodeArgs: string[]) =>
      spawnSync(process.execPath, [...nodeArgs, 'bin/mock-drama.js', 'help'], { encoding: 'utf8', env: { ...process.env, V8_FLAGS: '--max-lazy' } });
    const without = run([]);
    expect(without.status).toBe(0);
    expect(without.stderr).toContain("V8_FLAGS is not applied (--max-lazy): give V8 flags on node's command line");
    expect(run(['--max-lazy']).stderr).not.toContain('V8_FLAGS');
  });
});
