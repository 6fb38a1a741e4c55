/**
 * Memory of one web process holding N idle WebSockets: spawns `mock-drama all` (or, with
 * `--role serve`, a distributed web server on the local PostgreSQL and Redis), opens N sockets on
 * one session from this (separate) process, and reads the server's RSS from /proc. `--players K`
 * spreads the sockets over K guests, each watching a session of their own, as real players do.
 * With `--idle-seconds S` it then reads the CPU the idle sockets cost over S seconds: the
 * server's and, for `serve`, Redis's (the sockets' slots are refreshed there) and PostgreSQL's,
 * in % of one core. Streams re-check their credential every STREAM_RECHECK_MS (30 s).
 * Usage: npx tsx bench/idle-sockets.ts [--sockets 10000] [--players 1] [--role all|serve] [--idle-seconds 0].
 * Prints one JSON object.
 */
import WebSocket from 'ws';
import { spawnServer } from './lib/all-in-one.js';
import { cpuSecondsOf, pidsNamed } from './lib/proc.js';
import { num, parseFlags, str } from './lib/args.js';

const flags = parseFlags(process.argv.slice(2), { sockets: 'value', players: 'value', role: 'value', 'idle-seconds': 'value' }, 'npx tsx bench/idle-sockets.ts [--sockets 10000] [--players 1] [--role all|serve] [--idle-seconds 0]');
const players = Math.max(1, num(flags, 'players', 1));
const N = num(flags, 'sockets', 10_000);
const role = str(flags, 'role', 'all') === 'serve' ? 'serve' : 'all';
const idleSeconds = num(flags, 'idle-seconds', 0);
const server = await spawnServer(role, { MAX_SOCKETS_PER_USER: String(N + 10) });
const { url, token, sessionId: session_id } = server;
const wsBase = url.replace('http', 'ws');
// The first player is the spawned server's own guest; the others are made here, 50 at a time.
const wsUrls = [`${wsBase}/ws/story/${session_id}?token=${token}`];
const { stories } = (await server.call('GET', '/api/stories')) as { stories: { id: string }[] };
const post = async (path: string, body: unknown, bearer?: string) =>
  (await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify(body) })).json() as Promise<any>;
while (wsUrls.length < players) {
  const more = await Promise.all(
    Array.from({ length: Math.min(50, players - wsUrls.length) }, async () => {
      const guest = (await post('/api/auth/guest', {})) as { token: string };
      const session = (await post('/api/sessions', { story_id: stories[0]!.id }, guest.token)) as { session_id: string };
      return `${wsBase}/ws/story/${session.session_id}?token=${guest.token}`;
    }),
  );
  wsUrls.push(...more);
}
await new Promise((r) => setTimeout(r, 2000));
global.gc?.();
const before = server.rssMb();
const sockets: WebSocket[] = [];
let failed = 0;
const started = Date.now();
for (let i = 0; i < N; i += 200) {
  await Promise.all(
    Array.from({ length: Math.min(200, N - i) }, (_, k) =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(wsUrls[(i + k) % wsUrls.length]!);
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
const idle: Record<string, number> = {};
if (idleSeconds > 0) {
  // PostgreSQL's backends that live through the window (the server's pool keeps its connections).
  const redis = role === 'serve' ? pidsNamed('redis-server') : [];
  const postgres = role === 'serve' ? pidsNamed('postgres') : [];
  const read = () => ({ server: server.cpuSeconds(), redis: cpuSecondsOf(redis), postgres: cpuSecondsOf(postgres) });
  const t0 = read();
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const t1 = read();
  const pct = (k: 'server' | 'redis' | 'postgres') => +(((t1[k] - t0[k]) / idleSeconds) * 100).toFixed(2);
  idle.idle_server_cpu_pct = pct('server');
  if (role === 'serve') Object.assign(idle, { idle_redis_cpu_pct: pct('redis'), idle_postgres_cpu_pct: pct('postgres') });
}
console.log(JSON.stringify({ role, players: wsUrls.length, sockets: sockets.length, failed, open_seconds: openSeconds, server_rss_mb_before: Math.round(before), server_rss_mb_after: Math.round(after), kb_per_socket: Math.round(((after - before) * 1024) / Math.max(1, sockets.length)), ...idle }));
for (const ws of sockets) ws.terminate();
await server.stop();
process.exit(0);
