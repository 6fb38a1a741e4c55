/**
 * A real multi-process deployment on this machine: nginx in front of `mock-drama serve`
 * processes (or `mock-drama all`, both roles in one process), `mock-drama work` processes, Redis
 * and PostgreSQL — for the distributed e2e tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { dropPgSchema } from '../../src/storage/__fixtures__/store-targets.js';
import { api } from './clients.js';
import { TEST_PG_URL } from './test-env.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Proc {
  name: string;
  child: ChildProcess;
  port?: number;
  /** Everything the process wrote to stderr so far (pino logs). */
  log(): string;
  exited: Promise<number | null>;
}

/** What the processes behind nginx run: the web role alone, or both roles in one process. */
export type WebRole = 'serve' | 'all';

export interface ClusterOptions {
  webs: number;
  workers: number;
  /** Default `serve`. */
  webRole?: WebRole;
  env?: Record<string, string>;
}

async function waitHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class Cluster {
  readonly schema = `md_cluster_${randomBytes(5).toString('hex')}`;
  readonly prefix = `mdc:${randomBytes(4).toString('hex')}`;
  readonly procs: Proc[] = [];
  nginxPort = 0;
  #nginx: ChildProcess | null = null;
  readonly #dir = mkdtempSync(join(tmpdir(), 'md-cluster-'));

  constructor(readonly options: ClusterOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.nginxPort}`;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      DATABASE_URL: TEST_PG_URL,
      DATABASE_SCHEMA: this.schema,
      DATABASE_POOL_SIZE: '8',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: this.prefix,
      JWT_SECRET: 'cluster-secret-cluster-secret-0123456789abcdef',
      STORIES_DIR: 'tests/fixtures',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      QUEUE_LOCK_MS: '2000',
      QUEUE_STALLED_INTERVAL_MS: '1000',
      TURN_BACKOFF_MS: '200',
      WORKER_HEALTH_PORT: '0',
      ADMIN_TOKEN: 'cluster-admin-token-0123456789',
      SHUTDOWN_GRACE_MS: '5000',
      ...this.options.env,
      ...extra,
    };
  }

  spawnRole(role: WebRole | 'work', name: string, port?: number): Proc {
    const child = spawn(process.execPath, ['bin/mock-drama.js', role], {
      cwd: process.cwd(),
      env: this.env(port ? { PORT: String(port) } : {}),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.length > 2_000_000) log = log.slice(-1_000_000);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const proc: Proc = { name, child, port, log: () => log, exited };
    this.procs.push(proc);
    return proc;
  }

  async addWeb(name: string): Promise<Proc> {
    return this.#startRole(this.options.webRole ?? 'serve', name, async (proc) => (await fetch(`http://127.0.0.1:${proc.port}/readyz`).then((r) => r.ok, () => false)));
  }

  async addWorker(name: string): Promise<Proc> {
    return this.#startRole('work', name, (proc) => proc.log().includes('worker is taking turns'));
  }

  /** Spawns a process and waits until `isReady`, failing as soon as it exits. */
  async #startRole(role: WebRole | 'work', name: string, isReady: (proc: Proc) => boolean | Promise<boolean>): Promise<Proc> {
    const proc = this.spawnRole(role, name, role === 'work' ? undefined : await freePort());
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (await isReady(proc)) return proc;
      const exited = proc.child.exitCode !== null || proc.child.signalCode !== null;
      // Its last words may still be in the pipe when 'exit' fires; 'close' comes after them.
      if (exited && proc.child.stderr!.readable) await new Promise((r) => proc.child.once('close', r));
      if (exited) throw new Error(`${name} exited (code ${proc.child.exitCode}, signal ${proc.child.signalCode}) before it was ready:\n${proc.log()}`);
      if (Date.now() > deadline) throw new Error(`${name} did not start:\n${proc.log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The first story the cluster lists (the fixtures' first), asked as a new guest. */
  async firstStoryId(): Promise<string> {
    const guest = await api(this.url)('POST', '/api/auth/guest');
    return (await api(this.url, guest.body.token)('GET', '/api/stories')).body.stories[0].id as string;
  }

  /** A new guest through nginx with a session of `storyId`: its API client and the session's WebSocket URL (token in the query). */
  async newPlayer(storyId: string) {
    const guest = await api(this.url)('POST', '/api/auth/guest');
    const call = api(this.url, guest.body.token);
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    const wsBase = `${this.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest.body.token}`;
    return { call, sessionId, wsBase };
  }

  get webs(): Proc[] {
    return this.procs.filter((p) => p.port !== undefined && p.child.exitCode === null && p.child.signalCode === null);
  }

  get workers(): Proc[] {
    return this.procs.filter((p) => p.port === undefined && p.child.exitCode === null && p.child.signalCode === null);
  }

  /** Render deploy/nginx.conf with this cluster's web ports and a free listen port. */
  async #startNginx(): Promise<void> {
    this.nginxPort = await freePort();
    const upstreams = this.procs
      .filter((p) => p.port !== undefined)
      .map((p) => `    server 127.0.0.1:${p.port} max_fails=2 fail_timeout=5s;`)
      .join('\n');
    const conf = readFileSync('deploy/nginx.conf', 'utf8')
      .replace(/^\s*server web\d+:8000.*\n/gm, '')
      .replace('least_conn;', `least_conn;\n${upstreams}`)
      .replace('listen 80;', `listen 127.0.0.1:${this.nginxPort};`)
      .replace('worker_processes auto;', `worker_processes 1;\npid ${this.#dir}/nginx.pid;\nerror_log ${this.#dir}/error.log warn;`)
      .replace('worker_connections 20000;', 'worker_connections 4096;');
    const file = join(this.#dir, 'nginx.conf');
    writeFileSync(file, conf);
    this.#nginx = spawn('nginx', ['-p', this.#dir, '-c', file, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitHttp(`${this.url}/nginx-health`);
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.options.webs; i++) await this.addWeb(`web${i + 1}`);
    await Promise.all(Array.from({ length: this.options.workers }, (_, i) => this.addWorker(`worker${i + 1}`)));
    await this.#startNginx();
    await waitHttp(`${this.url}/readyz`);
  }

  async stop(): Promise<void> {
    this.#nginx?.kill('SIGTERM');
    for (const p of this.procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.race([Promise.all(this.procs.map((p) => p.exited)), new Promise((r) => setTimeout(r, 10_000))]);
    for (const p of this.procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await dropPgSchema(TEST_PG_URL, this.schema);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}

/**
 * A cluster started before a test file's tests and stopped after them, and new players (guests
 * through nginx) on the first story it lists.
 */
export function clusterForTests(options: ClusterOptions): { cluster: Cluster; newPlayer: () => ReturnType<Cluster['newPlayer']> } {
  const cluster = new Cluster(options);
  let storyId = '';
  beforeAll(async () => {
    await cluster.start();
    storyId = await cluster.firstStoryId();
  }, 120_000);
  afterAll(async () => cluster.stop(), 60_000);
  return { cluster, newPlayer: () => cluster.newPlayer(storyId) };
}
