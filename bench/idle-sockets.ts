/**
 * Memory of one web process holding N idle WebSockets: spawns `mock-drama all`, opens N sockets
 * on one session from this (separate) process, and reads the server's RSS from /proc.
 * Usage: npx tsx bench/idle-sockets.ts [--sockets 10000]. Prints one JSON object.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const NFlag = process.argv.indexOf('--sockets');
const N = NFlag >= 0 ? Number(process.argv[NFlag + 1]) : 10_000;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const server = spawn(process.execPath, ['bin/mock-drama.js', 'all'], {
  env: { ...process.env, PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'md-ws-')), LOG_LEVEL: 'warn', MAX_SOCKETS_PER_USER: String(N + 10) },
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
const post = async (path: string, body: unknown, token?: string) =>
  (await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json() as Promise<any>;
const { token } = await post('/api/auth/guest', {});
const stories = (await (await fetch(`${url}/api/stories`, { headers: { authorization: `Bearer ${token}` } })).json()) as { stories: { id: string }[] };
const { session_id } = await post('/api/sessions', { story_id: stories.stories[0]!.id }, token);
await new Promise((r) => setTimeout(r, 2000));
global.gc?.();
const before = rssMb(server.pid!);
const sockets: WebSocket[] = [];
const wsUrl = `${url.replace('http', 'ws')}/ws/story/${session_id}?token=${token}`;
let failed = 0;
const started = Date.now();
for (let i = 0; i < N; i += 200) {
  await Promise.all(
    Array.from({ length: Math.min(200, N - i) }, () =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(wsUrl);
        ws.once('open', () => (sockets.push(ws), resolve()));
        ws.once('error', () => (failed++, resolve()));
      }),
    ),
  );
  if (i % 2000 === 0) process.stderr.write(`${sockets.length} open\n`);
}
const openSeconds = (Date.now() - started) / 1000;
await new Promise((r) => setTimeout(r, 3000));
const after = rssMb(server.pid!);
console.log(JSON.stringify({ sockets: sockets.length, failed, open_seconds: openSeconds, server_rss_mb_before: Math.round(before), server_rss_mb_after: Math.round(after), kb_per_socket: Math.round(((after - before) * 1024) / Math.max(1, sockets.length)) }));
for (const ws of sockets) ws.terminate();
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
process.exit(0);
