/**
 * How long each role takes to start, and the CPU it spends doing so: spawns `mock-drama <role>`
 * `--runs` times and reads, from the moment of the spawn to its "ready" line, the wall time and
 * the process's CPU (user + system, every thread, from /proc). Roles:
 * - `all-new`: all-in-one on an empty data directory (first `npm start`: migrations, stories);
 * - `all`: all-in-one on the data directory an earlier run left (every later `npm start`);
 * - `serve`, `work`: the distributed roles on a database of the local PostgreSQL and a prefix of
 *   the local Redis, created once before the runs (so every run finds it migrated).
 * Runs alternate between the roles, so a slower minute of the machine falls on all of them.
 * `--bin` starts another entry point (another checkout's `bin/mock-drama.js`, say) in the same
 * alternation, as the roles' second column: `--bin ../before/bin/mock-drama.js`.
 *   npx tsx bench/start-up.ts [--runs 5] [--roles all-new,all,serve,work] [--bin FILE]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlags } from './lib/args.js';
import { processCpuSeconds } from './lib/proc.js';
import { CLI_NODE_ARGS } from './lib/cli-node-args.js';

const USAGE = 'npx tsx bench/start-up.ts [--runs 5] [--roles all-new,all,serve,work] [--bin FILE]';
const flags = parseFlags(process.argv.slice(2), { runs: 'value', roles: 'value', bin: 'value' }, USAGE);
const runs = Number(flags.get('runs') ?? 5);
const roles = String(flags.get('roles') ?? 'all-new,all,serve,work').split(',');
const bins = ['bin/mock-drama.js', ...(flags.has('bin') ? [String(flags.get('bin'))] : [])];

const db = `md_bench_startup_${process.pid}`;
const prefix = `su${process.pid}`;
const psql = (sql: string) => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qc', sql]);
const distributed = {
  DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
  REDIS_URL: 'redis://127.0.0.1:6379/9',
  REDIS_PREFIX: prefix,
  JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
};
const keptDataDir = mkdtempSync(join(tmpdir(), 'md-startup-'));

interface Reading {
  ms: number;
  cpuMs: number;
}

/** Spawns the role, waits for its ready line, reads the clock and /proc, then stops it. */
async function startOnce(bin: string, role: string, env: Record<string, string>): Promise<Reading> {
  const cli = role.startsWith('all') ? 'all' : role;
  const started = performance.now();
  const child = spawn(process.execPath, [...CLI_NODE_ARGS, bin, cli], {
    env: { ...process.env, PORT: '0', WORKER_HEALTH_PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const reading = await new Promise<Reading>((resolve, reject) => {
    let buf = '';
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (/is ready/.test(buf)) resolve({ ms: performance.now() - started, cpuMs: processCpuSeconds(child.pid!) * 1000 });
    });
    child.once('exit', (code) => reject(new Error(`${bin} ${cli} exited (${code}) before it was ready:\n${buf}`)));
  });
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return reading;
}

function envOf(role: string): { env: Record<string, string>; cleanup(): void } {
  if (role === 'all-new') {
    const dir = mkdtempSync(join(tmpdir(), 'md-startup-'));
    return { env: { DATA_DIR: dir }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (role === 'all') return { env: { DATA_DIR: keptDataDir }, cleanup: () => undefined };
  if (role === 'serve' || role === 'work') return { env: distributed, cleanup: () => undefined };
  throw new Error(`unknown role ${role}; ${USAGE}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const usesServer = roles.some((r) => r === 'serve' || r === 'work');
if (usesServer) psql(`create database ${db}`);
try {
  // One unmeasured start of each kind: migrations for the kept directory and the database, and
  // tsx's transform cache, so that the runs measure what every later start costs.
  for (const bin of bins) {
    if (roles.includes('all')) await startOnce(bin, 'all', envOf('all').env);
    if (usesServer) await startOnce(bin, 'serve', distributed);
  }
  const key = (bin: string, role: string) => `${role} ${bin}`;
  const readings = new Map<string, Reading[]>();
  for (let i = 0; i < runs; i++) {
    for (const role of roles) {
      for (const bin of bins) {
        const { env, cleanup } = envOf(role);
        const rs = readings.get(key(bin, role)) ?? [];
        rs.push(await startOnce(bin, role, env));
        readings.set(key(bin, role), rs);
        cleanup();
      }
    }
    process.stderr.write(`\rrun ${i + 1}/${runs}`);
  }
  process.stderr.write('\n');
  console.log('role and entry point                       ready ms: median (each run)            CPU ms to ready: median');
  for (const [name, rs] of readings) {
    const ms = rs.map((r) => r.ms);
    console.log(`${name.padEnd(42)} ${median(ms).toFixed(0).padStart(6)} (${ms.map((x) => x.toFixed(0)).join(', ')})`.padEnd(90) + median(rs.map((r) => r.cpuMs)).toFixed(0).padStart(6));
  }
} finally {
  rmSync(keptDataDir, { recursive: true, force: true });
  if (usesServer) {
    psql(`drop database if exists ${db} with (force)`);
    execFileSync('sh', ['-c', `redis-cli -n 9 --scan --pattern '${prefix}:*' | xargs -r -n 500 redis-cli -n 9 del >/dev/null`]);
  }
}
