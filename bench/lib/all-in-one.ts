/**
 * For the socket benchmarks: spawn `mock-drama all` on a fresh data directory, wait for its
 * "ready at" line, and start one guest session on the first story.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpawnedServer {
  process: ChildProcess;
  url: string;
  token: string;
  sessionId: string;
  call(method: string, path: string, body?: unknown): Promise<any>;
  /** Resident memory of the server process (MB, from /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

export async function spawnAllInOne(env: Record<string, string>): Promise<SpawnedServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'md-bench-'));
  const server = spawn(process.execPath, ['bin/mock-drama.js', 'all'], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
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
    async stop() {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
