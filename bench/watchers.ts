/**
 * 1,000 watchers of one session: spawns `mock-drama all` with the shared fake model, opens N
 * WebSockets on one session from this (separate) process, plays one turn, and checks that every
 * watcher received every event of the turn, in order, with the same ids and the same narration.
 * Usage: npx tsx bench/watchers.ts [--watchers 1000]. Prints one JSON object.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { spawnAllInOne } from './lib/all-in-one.js';

const flag = process.argv.indexOf('--watchers');
const N = flag >= 0 ? Number(process.argv[flag + 1]) : 1000;
const sharedBench = process.env.SHARED_BENCH ?? fileURLToPath(new URL('../../shared/bench', import.meta.url));

const llmPort = 8395;
const llm = spawn(process.execPath, [join(sharedBench, 'fake-llm.mjs'), '--port', String(llmPort)], { stdio: 'ignore' });
const server = await spawnAllInOne({
  MAX_SOCKETS_PER_USER: String(N + 10),
  NARRATOR_MODEL: 'compat:fake',
  JUDGE_MODEL: 'compat:fake',
  COMPAT_BASE_URL: `http://127.0.0.1:${llmPort}/v1`,
  COMPAT_API_KEY: 'x',
});
const { url, token, sessionId: session_id, call } = server;

interface Watcher {
  events: { id: number; type: string; text?: string }[];
  done: Promise<number>;
}
const watchers: Watcher[] = [];
const wsUrl = `${url.replace('http', 'ws')}/ws/story/${session_id}?token=${token}`;
for (let i = 0; i < N; i += 200) {
  await Promise.all(
    Array.from({ length: Math.min(200, N - i) }, () =>
      new Promise<void>((opened, failed) => {
        const ws = new WebSocket(wsUrl);
        const events: Watcher['events'] = [];
        const done = new Promise<number>((resolve) =>
          ws.on('message', (data) => {
            const e = JSON.parse(String(data)) as { id: number; type: string; text?: string };
            events.push({ id: e.id, type: e.type, ...(e.type === 'narration.delta' ? { text: e.text } : {}) });
            if (e.type === 'turn.completed') resolve(performance.now());
          }),
        );
        ws.once('open', () => (watchers.push({ events, done }), opened()));
        ws.once('error', failed);
      }),
    ),
  );
}
const rssBefore = server.rssMb();
const posted = performance.now();
const res = await call('POST', '/api/story/action', { session_id, user_input: 'I light the lamp and look around' });
const completedAt = await Promise.all(watchers.map((w) => w.done));
const rssAfter = server.rssMb();

// Every watcher must hold the same turn: the same event ids and types in increasing order, the same narration.
const turnEvents = (w: Watcher) => w.events.filter((e) => e.id > 0 && ['turn.started', 'narration.delta', 'turn.decision', 'turn.completed'].includes(e.type));
const reference = turnEvents(watchers[0]!);
const key = (es: Watcher['events']) => es.map((e) => `${e.id}:${e.type}:${e.text ?? ''}`).join('|');
const referenceKey = key(reference);
const identical = watchers.filter((w) => key(turnEvents(w)) === referenceKey).length;
const ordered = watchers.filter((w) => turnEvents(w).every((e, i, all) => i === 0 || e.id > all[i - 1]!.id)).length;
console.log(
  JSON.stringify({
    watchers: watchers.length,
    task: res.task_id,
    events_per_watcher: reference.length,
    deltas_per_watcher: reference.filter((e) => e.type === 'narration.delta').length,
    identical_streams: identical,
    in_order: ordered,
    turn_ms: Math.round(Math.min(...completedAt) - posted),
    last_watcher_after_first_ms: Math.round(Math.max(...completedAt) - Math.min(...completedAt)),
    server_rss_mb: { before_turn: Math.round(rssBefore), after_turn: Math.round(rssAfter) },
  }),
);
llm.kill('SIGTERM');
await server.stop();
process.exit(identical === watchers.length && ordered === watchers.length ? 0 : 1);
