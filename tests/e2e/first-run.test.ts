/**
 * A newcomer's first run: `npm start` on a terminal prints readable logs and a banner (JSON lines
 * when not on a terminal), and a second worker on the same host gets a usable answer about its
 * health port.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, REPO_ROOT, runCli, startCliReady } from '../support/cli-process.js';
import { TEST_REDIS_URL } from '../support/cluster.js';
import { TEST_PG_URL } from '../support/test-env.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-first-run-'));
  dirs.push(d);
  return d;
};

/** Runs `mock-drama all` under a pseudo-terminal (util-linux `script`) until `until` shows up. */
function onTerminal(env: Record<string, string>, until: RegExp, ms = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `${process.execPath} bin/mock-drama.js all`, '/dev/null'], {
      cwd: REPO_ROOT,
      env: { ...cliEnv({ TERM: 'xterm', ...env }), NO_COLOR: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; output so far:\n${out}`));
    }, ms);
    let stopping = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // Once: the lines after the match (the shutdown's) would each stop it again.
      if (!stopping && until.test(out)) {
        stopping = true;
        clearTimeout(timer);
        child.stdin.write('\x03'); // Ctrl+C, as the banner says
        child.once('exit', () => resolve(out));
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }
    });
  });
}

describe("a newcomer's first run", () => {
  it('on a terminal: readable log lines and a banner with the client, docs, data directory, models and how to stop', async () => {
    const dir = dataDir();
    // eslint-disable-next-line no-control-regex
    const out = (await onTerminal({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', STORIES_DIR: 'tests/fixtures', LOG_LEVEL: 'info' }, /Stop:[^\n]*\n/)).replace(/\x1b\[[0-9;]*m/g, '');
    expect(out).toMatch(/mock-drama \(all\) is ready at http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/Docs: +http:\/\/127\.0\.0\.1:\d+\/docs/);
    expect(out).toContain(`Data:    ${dir}`);
    expect(out).toMatch(/Models: +narrator offline/);
    expect(out).toMatch(/Stop: +Ctrl\+C/);
    expect(out).toMatch(/INFO.*: /);
    expect(out).not.toContain('{"level"');
  }, 120_000);

  it('not on a terminal: JSON log lines and the one "ready at" line, as before', async () => {
    const { proc: p } = await startCliReady(['all'], { DATA_DIR: dataDir(), PORT: '0', HOST: '127.0.0.1', STORIES_DIR: 'tests/fixtures', LOG_LEVEL: 'info' }, { stream: 'stderr', pattern: /ready at http/, ms: 90_000 });
    try {
      expect(p.stderr).toContain('{"level"');
      expect(p.stderr).not.toContain('Stop:');
    } finally {
      p.kill('SIGKILL');
      await p.exited(10_000).catch(() => undefined);
    }
  }, 120_000);

  describe('mock-drama work with the health port taken', () => {
    let taken: Server;
    afterAll(() => new Promise<void>((r) => (taken ? taken.close(() => r()) : r())));
    const workerEnv = (port: string) => ({ DATABASE_URL: TEST_PG_URL, DATABASE_SCHEMA: `md_first_run_${process.pid}`, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `mdfr:${process.pid}`, JWT_SECRET: 'first-run-secret-first-run-secret-0123456789', HOST: '127.0.0.1', WORKER_HEALTH_PORT: port });

    it('a fixed port already in use: the error names WORKER_HEALTH_PORT and the way out', async () => {
      taken = createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
      const port = (taken.address() as { port: number }).port;
      const r = await runCli(['work'], workerEnv(String(port)), { timeoutMs: 30_000 });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('WORKER_HEALTH_PORT');
      expect(r.stderr).toContain('WORKER_HEALTH_PORT=0');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it('WORKER_HEALTH_PORT=0: a free port, logged, and it answers', async () => {
      const { proc: p, match: [, url] } = await startCliReady(['work'], workerEnv('0'), { stream: 'stderr', pattern: /health: (http:\/\/127\.0\.0\.1:\d+)\/healthz/ });
      try {
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
      } finally {
        p.kill('SIGTERM');
        await p.exited(15_000).catch(() => undefined);
      }
    });
  });
});
