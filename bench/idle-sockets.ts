/**
 * Memory of one web process holding N idle WebSockets: spawns `mock-drama all`, opens N sockets
 * on one session from this (separate) process, and reads the server's RSS from /proc.
 * Usage: npx tsx bench/idle-sockets.ts [--sockets 10000]. Prints one JSON object.
 */
import WebSocket from 'ws';
import { spawnAllInOne } from './lib/all-in-one.js';

const NFlag = process.argv.indexOf('--sockets');
const N = NFlag >= 0 ? Number(process.argv[NFlag + 1]) : 10_000;
const server = await spawnAllInOne({ MAX_SOCKETS_PER_USER: String(N + 10) });
const { url, token, sessionId: session_id } = server;
await new Promise((r) => setTimeout(r, 2000));
global.gc?.();
const before = server.rssMb();
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
const after = server.rssMb();
console.log(JSON.stringify({ sockets: sockets.length, failed, open_seconds: openSeconds, server_rss_mb_before: Math.round(before), server_rss_mb_after: Math.round(after), kb_per_socket: Math.round(((after - before) * 1024) / Math.max(1, sockets.length)) }));
for (const ws of sockets) ws.terminate();
await server.stop();
process.exit(0);
