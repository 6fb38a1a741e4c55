/**
 * Issue 16, goal 4: how long after the model sent the first narration token does the player see
 * it? The fake provider runs in this process and logs when it wrote each chunk (epoch ms, sub-ms);
 * each narration's first chunk carries the request's number ("[r17] You "), so a player's first
 * `narration.delta` names the chunk it started from. The lag covers the whole path: the provider
 * → worker socket, the worker's stream parsing, the event bus (Redis in the cluster), the web
 * process and the player's WebSocket.
 *
 *   npx tsx bench/first-token.ts --mode cluster --players 100 --turns 3
 *   npx tsx bench/first-token.ts --mode all --players 100 --turns 3
 *
 * `cluster` spawns `serve` × --web and `work` × --workers on the local Redis and PostgreSQL (a
 * database of its own, dropped at the end); `all` spawns `mock-drama all` on a fresh data
 * directory (lib/all-in-one.ts). Prints one JSON object on stdout; this process's own event-loop delay is reported
 * too, since a busy loop here would delay the receive times it stamps.
 *
 * It also splits each turn's overhead (latency minus the time the fake model itself took for the
 * turn's two calls) into before the model, between the calls and after it, per turn index
 * (`waves`, lib/turn-phases.ts): with players acting together, index 1 is the first wave.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import WebSocket from 'ws';
import { startFakeOpenAI, wantsStructuredOutput } from '../tests/support/fake-llm/openai-fake.js';
import { spawnAllInOne } from './lib/all-in-one.js';
import { log, num, parseFlags, str } from './lib/args.js';
import { machine, warnIfBusy } from './lib/machine.js';
import { summarize } from './lib/stats.js';
import { overallOverhead, wavePhases, type CallSpan, type TurnTrace } from './lib/turn-phases.js';
import { CLI_NODE_ARGS } from './lib/cli-node-args.js';

const USAGE = `Usage: npx tsx bench/first-token.ts [options]
  --mode all|cluster    all-in-one, or serve + work on Redis and PostgreSQL (default cluster)
  --players N           concurrent players (default 100)
  --turns N             turns per player (default 3)
  --web N / --workers N processes in cluster mode (default 2 / 3)
  --first-token-ms X    the fake model's delay to its first chunk (default 200)
  --per-chunk-ms Y      between chunks (default 10)
  --chunks N            chunks per narration (default 30)
  --ramp-ms N           players start spread over N ms instead of together, and stay spread (default 0)
  --warmup N            N other players play 2 turns first, not measured (V8 and caches warm; default 0)`;

const MARK = /^\s*\[r(\d+)\]/;
const now = () => performance.timeOrigin + performance.now();
const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';

interface Cluster {
  url: string;
  stop(): Promise<void>;
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = pattern.exec(buf);
      if (m) resolve(m);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`a server process exited (${code}) before it was ready:\n${buf.slice(-2000)}`)));
  });
}

function start(role: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...CLI_NODE_ARGS, 'bin/mock-drama.js', role], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => (c.once('exit', r), c.kill('SIGTERM'))))));
}

async function startServers(mode: string, env: Record<string, string>, web: number, workers: number): Promise<Cluster> {
  if (mode === 'all') return spawnAllInOne(env);
  const db = `md_first_token_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  const shared = { ...env, DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, REDIS_URL: 'redis://127.0.0.1:6379/9', REDIS_PREFIX: db };
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  // One web process first: it applies the migrations the others then find done.
  for (let i = 0; i < web; i++) {
    const child = start('serve', { ...shared, PORT: '0' });
    children.push(child);
    urls.push((await waitForLine(child, /ready at (http:\/\/\S+)/))[1]!);
  }
  for (let i = 0; i < workers; i++) {
    const child = start('work', { ...shared, WORKER_HEALTH_PORT: '0' });
    children.push(child);
    await waitForLine(child, /worker is ready/);
  }
  let next = 0;
  return {
    // Players spread over the web processes, as behind a load balancer.
    get url() {
      return urls[next++ % urls.length]!;
    },
    async stop() {
      await stopAll(children);
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function json(url: string, method: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const data = await res.json();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}

interface Player {
  base: string;
  token: string;
  sessionId: string;
  ws: WebSocket;
}

/** A guest with a session and its socket open. */
async function joinAsGuest(base: string, storyId: string): Promise<Player> {
  const { token } = await json(`${base}/api/auth/guest`, 'POST', {});
  const { session_id: sessionId } = await json(`${base}/api/sessions`, 'POST', { story_id: storyId }, token);
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/story/${sessionId}?token=${token}`);
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  return { base, token, sessionId, ws };
}

interface Played {
  /** The first delta's receive time per turn, with the narrator request it came from. */
  seen: { request: number; receivedAt: number }[];
  /** Per turn: when it was posted, accepted and completed, and its narrator request. */
  turns: (Omit<TurnTrace, 'narrator' | 'judge'> & { request?: number })[];
}

/** `turns` turns one after another. */
async function play({ base, token, sessionId, ws }: Player, player: number, turns: number, startAfterMs = 0): Promise<Played> {
  if (startAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, startAfterMs));
  const seen: Played['seen'] = [];
  const traces: Played['turns'] = [];
  let waiting: { taskId: string; firstSeen: boolean; done: () => void; trace: Played['turns'][number] } | null = null;
  ws.on('message', (data) => {
    const receivedAt = now();
    const event = JSON.parse(String(data)) as { type: string; task_id?: string; text?: string };
    if (!waiting || event.task_id !== waiting.taskId) return;
    if (event.type === 'narration.delta' && !waiting.firstSeen) {
      waiting.firstSeen = true;
      const mark = MARK.exec(event.text ?? '');
      if (mark) {
        seen.push({ request: Number(mark[1]), receivedAt });
        waiting.trace.request = Number(mark[1]);
      }
    }
    if (event.type === 'turn.completed') waiting.trace.completedAt = receivedAt;
    if (event.type === 'turn.completed' || event.type === 'turn.failed') waiting.done();
  });
  for (let turn = 1; turn <= turns; turn++) {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const trace: Played['turns'][number] = { turn, postedAt: now(), acceptedAt: NaN, completedAt: NaN };
    const current = { taskId: '', firstSeen: false, done, trace };
    waiting = current;
    // The first delta comes a model's first-token delay after the 202: the task id is known by then.
    current.taskId = (await json(`${base}/api/story/action`, 'POST', { session_id: sessionId, user_input: `player ${player} looks around, turn ${turn}` }, token)).task_id;
    trace.acceptedAt = now();
    await finished;
    traces.push(trace);
  }
  ws.close();
  return { seen, turns: traces };
}

async function main(): Promise<void> {
  const flags = parseFlags(
    process.argv.slice(2),
    { mode: 'value', players: 'value', turns: 'value', web: 'value', workers: 'value', 'first-token-ms': 'value', 'per-chunk-ms': 'value', chunks: 'value', 'ramp-ms': 'value', warmup: 'value' },
    USAGE,
  );
  const mode = str(flags, 'mode', 'cluster');
  if (mode !== 'all' && mode !== 'cluster') throw new Error(`--mode must be all or cluster, not ${mode}`);
  const players = num(flags, 'players', 100);
  const turns = num(flags, 'turns', 3);
  const chunks = Math.max(2, num(flags, 'chunks', 30));
  warnIfBusy(log);

  const fake = await startFakeOpenAI({ firstTokenMs: num(flags, 'first-token-ms', 200), perChunkMs: num(flags, 'per-chunk-ms', 10) });
  // Each call's own span; a judge call is filed under the narration it judges (the newest mark in
  // its prompt: older ones are history).
  const spans = new Map<number, CallSpan>();
  const judgeOf = new Map<number, CallSpan>();
  fake.respond((req) => {
    const span: CallSpan = { receivedAt: req.receivedAt, endedAt: NaN };
    void req.ended.then(() => (span.endedAt = now()));
    if (wantsStructuredOutput(req.body)) {
      const marks = [...JSON.stringify(req.body.messages ?? '').matchAll(/\[r(\d+)\]/g)].map((m) => Number(m[1]));
      if (marks.length > 0) judgeOf.set(Math.max(...marks), span);
      return { json: { choiceIndex: null, variableUpdates: [], memories: [], summary: 'The scene moved on.' } };
    }
    spans.set(req.index, span);
    const words = Array.from({ length: chunks }, (_, i) => (i === 0 ? `[r${req.index}] You ` : i === chunks - 1 ? 'wait.' : 'look '));
    return { text: words.join(''), chunks: words };
  });
  const env = {
    JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    MAX_SOCKETS_PER_USER: '0',
    MAX_SESSIONS_PER_USER: '0',
    RATE_LIMIT_ACTIONS_PER_MINUTE: '0',
    RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP: '0',
    NARRATOR_MODEL: 'compat:fake',
    JUDGE_MODEL: 'compat:fake',
    COMPAT_BASE_URL: fake.baseURL,
    COMPAT_API_KEY: 'x',
  };
  const servers = await startServers(mode, env, num(flags, 'web', 2), num(flags, 'workers', 3));
  try {
    const { token } = await json(`${servers.url}/api/auth/guest`, 'POST', {});
    const { stories } = await json(`${servers.url}/api/stories`, 'GET', undefined, token);
    const storyId = stories[0].id as string;
    const join = async (count: number) => {
      const joined: Player[] = [];
      for (let p = 0; p < count; p += 20) joined.push(...(await Promise.all(Array.from({ length: Math.min(20, count - p) }, () => joinAsGuest(servers.url, storyId)))));
      return joined;
    };
    const warmup = num(flags, 'warmup', 0);
    if (warmup > 0) {
      log(`warm-up: ${warmup} players × 2 turns`);
      await Promise.all((await join(warmup)).map((player, p) => play(player, p, 2)));
    }
    // Everyone joins first, so the measured window holds turns only.
    const joined = await join(players);
    log(`${mode}: ${players} players × ${turns} turns`);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const t0 = now();
    const rampMs = num(flags, 'ramp-ms', 0);
    const results = await Promise.all(joined.map((player, p) => play(player, p, turns, (rampMs * p) / players)));
    const seconds = (now() - t0) / 1000;
    loop.disable();
    const written = new Map(fake.chunkLog.filter((c) => c.chunkIndex === 0).map((c) => [c.requestIndex, c.writtenAt]));
    const lags = results.flatMap((r) => r.seen).map((r) => r.receivedAt - (written.get(r.request) ?? NaN));
    const lag = summarize(lags);
    const turnsDone = results.reduce((n, r) => n + r.seen.length, 0);
    const traces: TurnTrace[] = results.flatMap((r) => r.turns).map(({ request, ...t }) => ({ ...t, ...(request === undefined ? {} : { narrator: spans.get(request), judge: judgeOf.get(request) }) }));
    const waves = wavePhases(traces);
    for (const w of waves) log(`turn ${w.turn}: overhead p50 ${w.overheadMs?.p50} p99 ${w.overheadMs?.p99} ms; before the model p99 ${w.beforeModelMs?.p99}, between the calls p99 ${w.betweenCallsMs?.p99}, after p99 ${w.afterModelMs?.p99}`);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'first-token',
        mode,
        players,
        rampMs,
        turns: turnsDone,
        turnsPerSec: Math.round((turnsDone / seconds) * 10) / 10,
        firstTokenLagMs: lag,
        overheadMs: overallOverhead(traces),
        waves,
        benchLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
        machine: machine(),
      })}\n`,
    );
  } finally {
    await servers.stop();
    await fake.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`first-token: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
