/**
 * For the socket benchmarks: spawn `mock-drama all` on a fresh data directory (or `mock-drama
 * serve` on a fresh database of the local PostgreSQL and a prefix of the local Redis), wait for
 * its "ready at" line, and start one guest session on the first story.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processCpuSeconds } from './proc.js';
import { CLI_NODE_ARGS } from './cli-node-args.js';

export interface SpawnedServer {
  process: ChildProcess;
  url: string;
  token: string;
  sessionId: string;
  call(method: string, path: string, body?: unknown): Promise<any>;
  /** Resident memory of the server process (MB, from /proc). */
  rssMb(): number;
  /** CPU seconds the server process has used so far (user + system, all threads, from /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const psql = (sql: string) => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qc', sql]);

export async function spawnAllInOne(env: Record<string, string>): Promise<SpawnedServer> {
  return spawnServer('all', env);
}

/**
 * `role` all: the embedded database under a temp directory. `serve`: a web server of the
 * distributed mode on a database created for it (dropped by `stop`) and a Redis prefix of its own.
 */
export async function spawnServer(role: 'all' | 'serve', env: Record<string, string>): Promise<SpawnedServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'md-bench-'));
  const db = `md_bench_sockets_${process.pid}`;
  const distributed: Record<string, string> = {};
  if (role === 'serve') {
    psql(`create database ${db}`);
    Object.assign(distributed, { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, REDIS_URL: 'redis://127.0.0.1:6379/9', REDIS_PREFIX: db, JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef' });
  }
  const server = spawn(process.execPath, [...CLI_NODE_ARGS, 'bin/mock-drama.js', role], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...distributed, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve) => {
    let buf = '';
    server.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /ready at (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
  });
  let token: string | undefined;
  const call = async (method: string, path: string, body?: unknown) =>
    (await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })).json() as Promise<any>;
  token = ((await call('POST', '/api/auth/guest', {})) as { token: string }).token;
  const { stories } = (await call('GET', '/api/stories')) as { stories: { id: string }[] };
  const { session_id } = (await call('POST', '/api/sessions', { story_id: stories[0]!.id })) as { session_id: string };
  return {
    process: server,
    url,
    token,
    sessionId: session_id,
    call,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    cpuSeconds: () => processCpuSeconds(server.pid!),
    async stop() {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
      if (role === 'serve') {
        psql(`drop database if exists ${db} with (force)`);
        execFileSync('sh', ['-c', `redis-cli -n 9 --scan --pattern '${db}:*' | xargs -r -n 500 redis-cli -n 9 del >/dev/null`]);
      }
    },
  };
}
