/**
 * `mock-drama build` compiles src/ into dist/, and the CLI runs dist/ only while it was built from
 * the sources beside it: an edit sends it back to the sources (through tsx), with a notice, until
 * the next build. On a copy of the project (bin/, src/, the stories, its node_modules linked), so
 * the repository's own dist/, which other test files' processes run, is never rebuilt under them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/clients.js';
import { cliEnv, REPO_ROOT } from '../support/cli-process.js';

let project: string;
/** One data directory for every start (one at a time): only the first pays for a new database. */
let dataDir: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'md-compiled-'));
  for (const entry of ['bin', 'src', 'stories', 'package.json', 'tsconfig.json']) cpSync(join(REPO_ROOT, entry), join(project, entry), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(project, 'node_modules'));
  dataDir = mkdtempSync(join(tmpdir(), 'md-compiled-data-'));
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const build = (...args: string[]) => spawnSync(process.execPath, ['bin/mock-drama.js', 'build', ...args], { cwd: project, encoding: 'utf8', env: cliEnv({}) });

/** `mock-drama all` in the copy until it is ready; returns what it printed and its URL, then stops it. */
async function startAll(env: Record<string, string> = {}): Promise<{ stderr: string; url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['bin/mock-drama.js', 'all'], { cwd: project, env: cliEnv({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env }) });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /is ready at (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before it was ready:\n${stderr}`)));
  });
  // The logger writes asynchronously: its line about listening may follow the ready line.
  for (let i = 0; i < 100 && !stderr.includes('mock-drama is listening'); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    get stderr() {
      return stderr;
    },
    url,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  } as { stderr: string; url: string; stop(): Promise<void> };
}

/** The `code` the listening log line reports. */
const origin = (stderr: string) => /"code":"(\w+)"[^\n]*mock-drama is listening|mock-drama is listening[^\n]*"code":"(\w+)"/.exec(stderr)?.slice(1).find(Boolean);

describe('mock-drama build and the compiled start', () => {
  it('compiles every shipped TypeScript file into dist/ with the same layout, and copies the run-time files', () => {
    const first = build();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Built dist\/ from \d+ TypeScript files in \d+ ms\.$/m);
    for (const file of ['cli/main.js', 'cli/main.js.map', 'runtime/turn-thread/thread-main.js', 'runtime/turn-thread/entry.mjs', 'storage/pglite-thread.mjs', 'engine/ink/compile-worker.mjs']) {
      expect(existsSync(join(project, 'dist', file)), file).toBe(true);
    }
    expect(existsSync(join(project, 'dist', 'storage', 'migrations', 'meta', '_journal.json'))).toBe(true);
    expect(existsSync(join(project, 'dist', 'cli', 'main.ts'))).toBe(false);
    // Nothing of the tests: neither their files nor their fixtures.
    const built = spawnSync('find', [join(project, 'dist'), '-name', '__fixtures__', '-o', '-name', '*.test.*'], { encoding: 'utf8' }).stdout.trim();
    expect(built).toBe('');
    const again = build();
    expect(again.stdout).toContain('dist/ is current');
  });

  it('runs dist/ (turns on a thread too), then the sources after an edit, then dist/ again once rebuilt', async () => {
    expect(build().status).toBe(0);
    const compiled = await startAll({ TURN_THREAD: 'on' });
    try {
      expect(origin(compiled.stderr)).toBe('dist');
      expect(compiled.stderr).not.toContain('older than src/');
      // A turn played end to end: the thread loaded dist/'s thread-main.js.
      const guest = await api(compiled.url)('POST', '/api/auth/guest');
      const call = api(compiled.url, guest.body.token);
      const { body: list } = await call('GET', '/api/stories');
      const { body: session } = await call('POST', '/api/sessions', { story_id: list.stories[0].id });
      const accepted = await call('POST', '/api/story/action', { session_id: session.session_id, user_input: 'I look around' });
      expect(accepted.status).toBe(202);
      let status: any;
      for (let i = 0; i < 200 && status?.status !== 'completed'; i++) {
        status = (await call('GET', `/api/story/status/${accepted.body.task_id}`)).body;
        if (status.status !== 'completed') await new Promise((r) => setTimeout(r, 50));
      }
      expect(status.status).toBe('completed');
    } finally {
      await compiled.stop();
    }

    // An edit (a newer modification time is what a save leaves) makes dist/ stale.
    const edited = join(project, 'src', 'domain', 'errors.ts');
    const later = new Date(Date.now() + 5_000);
    utimesSync(edited, later, later);
    const sources = await startAll();
    try {
      expect(origin(sources.stderr)).toBe('sources');
      expect(sources.stderr).toContain('dist/ is older than src/, so the sources run through tsx (`npm run build` for the faster start)');
    } finally {
      await sources.stop();
    }

    expect(build().stdout).toMatch(/^Built dist\//m);
    const rebuilt = await startAll();
    try {
      expect(origin(rebuilt.stderr)).toBe('dist');
    } finally {
      await rebuilt.stop();
    }
  });

  it('builders started together take turns: both succeed and dist/ is whole', async () => {
    const run = () =>
      new Promise<number | null>((resolve) => spawn(process.execPath, ['bin/mock-drama.js', 'build', '--force'], { cwd: project, env: cliEnv({}), stdio: 'ignore' }).once('exit', resolve));
    expect(await Promise.all([run(), run()])).toEqual([0, 0]);
    expect(readFileSync(join(project, 'dist', '.sources-stamp'), 'utf8')).toMatch(/^\d+:\d+$/);
    expect(existsSync(join(project, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(spawnSync('ls', ['-a', project], { encoding: 'utf8' }).stdout).not.toMatch(/\.dist-tmp-|\.dist-lock/);
  });
});
