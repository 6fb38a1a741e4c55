/**
 * Runs the real `bin/mock-drama.js` as a child process, the way a user or a supervisor does:
 * environment in, stdin piped, stdout/stderr captured, exit code and signal out.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = 'bin/mock-drama.js';

/**
 * A minimal, explicit environment: nothing from the developer's shell (DATABASE_URL, REDIS_URL,
 * JWT_SECRET…) leaks into the child and changes what it does.
 */
export function cliEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT', 'LANG'];
  const base: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) base[k] = process.env[k];
  return { ...base, LOG_LEVEL: 'warn', NO_COLOR: '1', ...vars };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
  /** stdout as received, one entry per 'data' event (to see streaming). */
  stdoutChunks: string[];
}

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutChunks: string[];
  /** Resolves with the first match of `pattern` in stdout or stderr, or rejects on timeout / exit. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Resolves at exit; rejects (after killing the child) if it takes longer than `ms`. */
  exited(ms?: number): Promise<CliResult>;
  kill(signal?: NodeJS.Signals): void;
}

/** Spawns `node bin/mock-drama.js ...args` from the repository root with the test environment. */
export function startCli(args: string[], env: Record<string, string>): CliProcess {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const stdoutChunks: string[] = [];
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    stdout += d;
    stdoutChunks.push(d);
    notify();
  });
  child.stderr.on('data', (d: string) => {
    stderr += d;
    notify();
  });
  // A child that exits before reading all of stdin must not crash the test with EPIPE.
  child.stdin.on('error', () => undefined);
  const exit = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      notify();
      resolve({ code, signal, stdout, stderr, stdoutChunks, ms: Math.round(performance.now() - started) });
    });
  });
  let exitedFlag = false;
  void exit.then(() => (exitedFlag = true));
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    stdoutChunks,
    waitFor(stream, pattern, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = (stream === 'stdout' ? stdout : stderr).match(pattern);
          if (m) {
            done();
            resolve(m);
          } else if (exitedFlag) {
            done();
            reject(new Error(`process exited before ${stream} matched ${pattern}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${ms} ms waiting for ${stream} to match ${pattern}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exit.then(check);
        check();
      });
    },
    async exited(ms = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`process did not exit within ${ms} ms\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
        }, ms);
      });
      try {
        return await Promise.race([exit, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    kill(signal = 'SIGTERM') {
      if (!exitedFlag) child.kill(signal);
    },
  };
}

/** Run to completion with `stdin` (ended afterwards); kills the child after `timeoutMs`. */
export async function runCli(args: string[], env: Record<string, string>, opts: { stdin?: string | Buffer; timeoutMs?: number } = {}): Promise<CliResult> {
  const p = startCli(args, env);
  if (opts.stdin !== undefined) p.child.stdin.write(opts.stdin);
  p.child.stdin.end();
  return p.exited(opts.timeoutMs ?? 30_000);
}

/**
 * Start a long-running command and wait until it says it is ready (`pattern` on `stream`); any
 * failure rejects as `waitFor` does, with the process killed.
 */
export async function startCliReady(
  args: string[],
  env: Record<string, string>,
  ready: { stream: 'stdout' | 'stderr'; pattern: RegExp; ms?: number },
): Promise<{ proc: CliProcess; match: RegExpMatchArray }> {
  const proc = startCli(args, env);
  try {
    return { proc, match: await proc.waitFor(ready.stream, ready.pattern, ready.ms) };
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
}

/** Lines that look like a JavaScript stack trace ("    at fn (file:1:2)"). */
export function stackLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at\s/.test(l));
}
