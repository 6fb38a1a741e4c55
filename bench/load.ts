/**
 * HTTP + WebSocket load generator. Virtual players each take a guest token, start a session,
 * open the session's WebSocket and play turns one at a time, timing every turn from the POST to
 * `turn.completed` on the socket. Runs against a server at --url, or with --spawn starts its own
 * all-in-one server (fresh per level) as a child process and stops it afterwards.
 * Prints one JSON object on stdout; progress goes to stderr.
 *
 *   npx tsx bench/load.ts --spawn [--players 10,100,500] [--turns 5] [--duration-limit 120s]
 *                         [--model-latency-ms 200 --chunk-delay-ms 20] [--db pglite|postgres]
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import WebSocket from 'ws';
import { createDramaClient, type SessionEvent, type SessionEventStream, type WebSocketConstructorLike } from '../sdk/index.js';
import { loadEnv } from '../src/config/env.js';
import { duration, list, log, num, parseFlags, str } from './lib/args.js';
import { machine, warnIfBusy } from './lib/machine.js';
import { createNodeHttpFetch, type NetworkError } from './lib/node-http-fetch.js';
import { nextInput, type OfferedChoice } from './lib/player-input.js';
import { processCpuSeconds } from './lib/proc.js';
import { pick, ProcessMeter, summarize, STAGES, type Summary } from './lib/stats.js';
import { CLI_NODE_ARGS } from './lib/cli-node-args.js';

const USAGE = `Usage: npx tsx bench/load.ts [options]
  --url http://127.0.0.1:8000   server to load (ignored with --spawn)
  --spawn                       start an all-in-one server per level (node bin/mock-drama.js all), stop it after
  --one-server                  with --spawn: one server for all levels instead of a fresh one per level
  --players 10,100,500          concurrency levels (default 10,100,500)
  --turns 5                     turns per player (default 5)
  --duration-limit 120s         wall-clock budget for all levels; no new turn starts after it
  --turn-timeout 60s            give up on one turn after this
  spawn only:
  --db pglite|postgres          database of the spawned server (default pglite in a temp DATA_DIR)
  --database-url URL            PostgreSQL for --db postgres (default postgres://postgres@127.0.0.1:5432/test)
  --model-latency-ms X          OFFLINE_LATENCY_MS (delay before the narrator's first token and the judge's reply)
  --chunk-delay-ms Y            OFFLINE_CHUNK_DELAY_MS (delay per streamed narration chunk)
  --worker-concurrency N        WORKER_CONCURRENCY (default: the server's)
  --server-env K=V,K=V          more environment for the spawned server
  --server-log FILE             append the spawned server's stderr (JSON log lines) to FILE
  --server-node-args "..."      node flags for the spawned server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"`;

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';
/** After a level's deadline, turns already submitted get this long to finish. */
const GRACE_MS = 10_000;
/** SHUTDOWN_GRACE_MS of spawned servers: queued turns are abandoned quickly at the end. */
const SERVER_SHUTDOWN_GRACE_MS = 3_000;

const flags = parseFlags(
  process.argv.slice(2),
  {
    url: 'value',
    spawn: 'switch',
    'one-server': 'switch',
    players: 'value',
    turns: 'value',
    'duration-limit': 'value',
    'turn-timeout': 'value',
    db: 'value',
    'database-url': 'value',
    'model-latency-ms': 'value',
    'chunk-delay-ms': 'value',
    'worker-concurrency': 'value',
    'server-env': 'value',
    'server-node-args': 'value',
    'server-log': 'value',
  },
  USAGE,
);
const spawnServer = flags.has('spawn');
const oneServer = flags.has('one-server');
const levels = list(flags, 'players', [10, 100, 500]);
const turnsPerPlayer = num(flags, 'turns', 5);
const budgetMs = duration(flags, 'duration-limit', 120_000);
const turnTimeoutMs = duration(flags, 'turn-timeout', 60_000);
const db = str(flags, 'db', 'pglite');
if (db !== 'pglite' && db !== 'postgres') throw new Error(`--db must be pglite or postgres, got "${db}"`);
const databaseUrl = str(flags, 'database-url', process.env.BENCH_DATABASE_URL ?? DEFAULT_PG);
const modelLatencyMs = num(flags, 'model-latency-ms', 0);
const chunkDelayMs = num(flags, 'chunk-delay-ms', 0);
const workerConcurrency = flags.has('worker-concurrency') ? String(num(flags, 'worker-concurrency', 32)) : undefined;
const serverLogFile = flags.has('server-log') ? str(flags, 'server-log', '') : undefined;
const serverNodeArgs = str(flags, 'server-node-args', '').split(' ').filter(Boolean);
const extraEnv = Object.fromEntries(
  str(flags, 'server-env', '')
    .split(',')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
if (!spawnServer && (flags.has('model-latency-ms') || flags.has('chunk-delay-ms') || flags.has('db'))) {
  log('note: --model-latency-ms, --chunk-delay-ms and --db only apply with --spawn; the running server keeps its own settings');
}

// ---------------------------------------------------------------------------------------------
// HTTP client: the SDK over node:http with a keep-alive agent (cheaper per request than fetch on 2 cores).

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 2048 });
const httpFetch = createNodeHttpFetch(agent);

interface Reply {
  status: number;
  body: any;
  /** Whether the request went out on a kept-alive socket (false: a new TCP connection). */
  reused: boolean;
}

let warnedRateLimit = false;

/** What a spawned server runs with: the flag, else --server-env, else the server's own default. */
function spawnedSetting(name: 'WORKER_CONCURRENCY' | 'DATABASE_POOL_SIZE', flag?: string): number | string {
  try {
    return loadEnv({ DATA_DIR: ':memory:', [name]: flag ?? extraEnv[name] })[name];
  } catch {
    return 'unknown';
  }
}

/** Requests that failed on a kept-alive socket the server had just closed, and were sent again. */
let staleSocketRetries = 0;

/** Any SDK call (`drama.api.GET(…)`): openapi-fetch's result. */
type ApiCall = () => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** One SDK call as a Reply; a network failure is status 0 with a `network:<code>` error code. */
async function sendOnce(call: ApiCall): Promise<Reply> {
  try {
    const r = await call();
    return { status: r.response.status, body: r.error ?? r.data ?? null, reused: httpFetch.reusedSocket(r.response) };
  } catch (err) {
    const e = err as NetworkError;
    return { status: 0, body: { error: { code: `network:${e.code ?? e.message}` } }, reused: e.reused ?? false };
  }
}

/**
 * One request; sent once more if it failed on a reused keep-alive socket (the server closes idle
 * sockets after its keepAliveTimeout, and a request can cross that close on the wire). Actions
 * carry an Idempotency-Key, so the resend cannot start a second turn.
 */
async function request(call: ApiCall): Promise<Reply> {
  const first = await sendOnce(call);
  if (first.status !== 0 || !first.reused) return first;
  staleSocketRetries += 1;
  return sendOnce(call);
}

/** The SDK on the keep-alive node:http fetch, as one player (with its token) or anonymous. */
const sdk = (base: string, token?: string) => createDramaClient({ baseUrl: base, token, fetch: httpFetch.fetch });

const errorKey = (r: Reply, what: string) => `${what}:${r.status}:${r.body?.error?.code ?? 'unknown'}`;

// ---------------------------------------------------------------------------------------------
// The spawned server.

interface Server {
  url: string;
  pid: number;
  child: ChildProcess;
  logCounts: Record<string, number>;
  /** Once-a-second event-loop samples from bench/tools/loop-probe.mjs. */
  loop: Array<{ t: number; delay_p50_ms: number; delay_p99_ms: number; delay_max_ms: number; utilization: number }>;
  stderrTail: string[];
  schema?: string;
  dataDir: string;
}

let liveServer: Server | null = null;

async function startServer(): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mock-drama-bench-'));
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const k of ['DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'PORT']) delete env[k];
  Object.assign(env, {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(24).toString('hex'),
    OFFLINE_LATENCY_MS: String(modelLatencyMs),
    OFFLINE_CHUNK_DELAY_MS: String(chunkDelayMs),
    STORIES_DIR: join(REPO, 'stories'),
    SHUTDOWN_GRACE_MS: String(SERVER_SHUTDOWN_GRACE_MS),
    // Every virtual player comes from 127.0.0.1: the per-IP (and per-user) action limits would
    // measure the limiter, not the server. Re-enable with --server-env to test them.
    RATE_LIMIT_ACTIONS_PER_MINUTE: '0',
    RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP: '0',
    ...(workerConcurrency ? { WORKER_CONCURRENCY: workerConcurrency } : {}),
  });
  let schema: string | undefined;
  if (db === 'postgres') {
    schema = `bench_${randomBytes(5).toString('hex')}`;
    Object.assign(env, { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema });
  }
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, ['--import', join(REPO, 'bench/tools/loop-probe.mjs'), ...CLI_NODE_ARGS, ...serverNodeArgs, join(REPO, 'bin/mock-drama.js'), 'all'], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const server: Server = { url: '', pid: child.pid!, child, logCounts: {}, loop: [], stderrTail: [], dataDir, ...(schema ? { schema } : {}) };
  liveServer = server;
  const started = performance.now();
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      buffer += chunk;
      let cut: number;
      while ((cut = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 1);
        if (!line.trim()) continue;
        if (line.startsWith('{"bench_probe":"loop"')) {
          server.loop.push(JSON.parse(line));
          continue;
        }
        if (serverLogFile) appendFileSync(serverLogFile, `${line}\n`);
        server.stderrTail.push(line);
        if (server.stderrTail.length > 20) server.stderrTail.shift();
        const ready = /ready at (http:\/\/\S+)/.exec(line);
        if (ready) resolve(ready[1]!);
        try {
          const entry = JSON.parse(line) as { msg?: string; level?: number };
          const key = `${entry.level === 50 ? 'error' : entry.level === 40 ? 'warn' : `level${entry.level}`}: ${entry.msg ?? '?'}`;
          server.logCounts[key] = (server.logCounts[key] ?? 0) + 1;
        } catch {
          // plain text line
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready:\n${server.stderrTail.join('\n')}`)));
    setTimeout(() => reject(new Error('server did not become ready within 60 s')), 60_000).unref();
  });
  server.url = url;
  log(`server pid ${server.pid} ready at ${url} in ${Math.round(performance.now() - started)} ms (${db}${schema ? `, schema ${schema}` : ''})`);
  return server;
}

async function stopServer(server: Server): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => {
    if (server.child.exitCode !== null) resolve(server.child.exitCode);
    else server.child.once('exit', (code) => resolve(code));
  });
  const t = performance.now();
  server.child.kill('SIGTERM');
  const code = await Promise.race([exited, sleep(20_000, 'timeout' as const, { ref: false })]);
  log(`server pid ${server.pid} stopped in ${Math.round(performance.now() - t)} ms (exit ${code})`);
  if (code === 'timeout') {
    log(`server pid ${server.pid} did not exit in 20 s after SIGTERM: killing it`);
    server.child.kill('SIGKILL');
    await exited;
  }
  if (liveServer === server) liveServer = null;
  rmSync(server.dataDir, { recursive: true, force: true });
  if (server.schema) await dropSchema(server.schema);
  return code === 'timeout' ? null : code;
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** CPU seconds and peak RSS of a local process, from /proc (Linux). */
function procStats(pid: number): { cpuS: number; rssMb: number; peakRssMb: number } | null {
  try {
    const cpuS = processCpuSeconds(pid);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { cpuS, rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Virtual players.

interface TurnSample {
  e2eMs: number;
  firstDeltaMs: number | undefined;
  overheadMs: number;
  timings: Record<string, number>;
}

interface LevelStats {
  samples: TurnSample[];
  deltaLagMs: number[];
  /** POST /api/story/action until its 202 arrived, on a kept-alive socket / on a new connection. */
  postMs: number[];
  postNewSocketMs: number[];
  /** turn.completed: server `at` to client receipt. */
  completedLagMs: number[];
  failures: Record<string, number>;
  conflicts409: number;
  abandoned: number;
  restarts: number;
  setup: { guest: number[]; stories: number[]; session: number[]; wsOpen: number[] };
  playersReady: number;
  playersFailed: number;
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

type Waiter = { turnNo: number; firstDelta?: number; resolve: (e: SessionEvent | null, why?: string) => void };

/** The SDK's WebSocket option: `ws` without compression, remembering why an upgrade failed. */
function benchWebSocket(failure: { reason?: string }): WebSocketConstructorLike {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { perMessageDeflate: false });
      this.once('unexpected-response', (_req, res) => {
        failure.reason = `ws upgrade refused: ${res.statusCode}`;
        res.resume();
      });
      this.once('error', (err) => (failure.reason ??= err.message));
    }
  } as unknown as WebSocketConstructorLike;
}

/** One session's event stream (the SDK's, one connection, no retries); routes events to the turn being waited for. */
class SessionSocket {
  #waiter: Waiter | null = null;
  #closed = false;
  #stream: SessionEventStream | null = null;

  private constructor(private readonly stats: LevelStats) {}

  static async open(base: string, token: string, sessionId: string, stats: LevelStats): Promise<SessionSocket> {
    const socket = new SessionSocket(stats);
    const failure: { reason?: string } = {};
    socket.#stream = sdk(base, token).events(sessionId, {
      // 0: anything published before the subscription is replayed (nothing, normally).
      since: 0,
      transport: 'websocket',
      WebSocket: benchWebSocket(failure),
      reconnect: false,
      heartbeatMs: 0,
      onEvent: (event) => socket.#on(event),
      onStatus: (status) => {
        if (status.state !== 'closed') return;
        socket.#closed = true;
        const w = socket.#waiter;
        socket.#waiter = null;
        w?.resolve(null, 'ws_closed');
      },
    });
    await socket.#stream.opened.catch(() => {
      throw new Error(failure.reason ?? 'ws closed before it opened');
    });
    return socket;
  }

  #on(event: SessionEvent): void {
    const received = Date.now();
    const w = this.#waiter;
    if (event.type === 'narration.delta') {
      // Same machine, same clock: how long the delta took from the bus to this process.
      this.stats.deltaLagMs.push(received - Date.parse(event.at));
      if (w && event.turn_no === w.turnNo) w.firstDelta ??= performance.now();
      return;
    }
    if (!w || event.turn_no !== w.turnNo) return;
    if (event.type === 'turn.retrying') bump(this.stats.failures, `turn.retrying:${event.error?.code ?? '?'}`);
    if (event.type === 'turn.completed' || event.type === 'turn.failed') {
      if (event.type === 'turn.completed') this.stats.completedLagMs.push(received - Date.parse(event.at));
      this.#waiter = null;
      w.resolve(event);
    }
  }

  /** Arm before submitting. */
  expect(turnNo: number, timeoutMs: number): Promise<{ event: SessionEvent | null; firstDelta: number | undefined; why?: string }> {
    return new Promise((resolve) => {
      if (this.#closed) return resolve({ event: null, firstDelta: undefined, why: 'ws_closed' });
      const timer = setTimeout(() => {
        this.#waiter = null;
        resolve({ event: null, firstDelta: undefined, why: 'timeout' });
      }, timeoutMs);
      const waiter: Waiter = {
        turnNo,
        resolve: (event, why) => {
          clearTimeout(timer);
          resolve({ event, firstDelta: waiter.firstDelta, ...(why ? { why } : {}) });
        },
      };
      this.#waiter = waiter;
    });
  }

  /** Stop waiting (the POST failed). */
  cancel(): void {
    this.#waiter = null;
  }

  close(): void {
    this.#stream?.close();
  }
}

async function player(base: string, index: number, stats: LevelStats, ready: Promise<void>, deadline: number, graceUntil: () => number): Promise<void> {
  const timed = async (into: number[], call: () => Promise<Reply>) => {
    const t = performance.now();
    const r = await call();
    into.push(performance.now() - t);
    return r;
  };
  const guest = await timed(stats.setup.guest, () => request(() => sdk(base).api.POST('/api/auth/guest')));
  if (guest.status !== 200) throw new Error(errorKey(guest, 'guest'));
  const token = guest.body.token as string;
  const drama = sdk(base, token);
  const list = await timed(stats.setup.stories, () => request(() => sdk(base, token).api.GET('/api/stories')));
  if (list.status !== 200) throw new Error(errorKey(list, 'stories'));
  const shipped = (list.body.stories as Array<{ id: string; owner_id: string | null; title: string }>).filter((s) => s.owner_id === null);
  if (shipped.length === 0) throw new Error('stories:no shipped story');
  const story = shipped[index % shipped.length]!;

  const open = async () => {
    const created = await timed(stats.setup.session, () => request(() => drama.api.POST('/api/sessions', { body: { story_id: story.id } })));
    if (created.status !== 201) throw new Error(errorKey(created, 'session'));
    const t = performance.now();
    // since=0: anything published before the subscription is replayed (nothing, normally).
    const socket = await SessionSocket.open(base, token, created.body.session_id, stats);
    stats.setup.wsOpen.push(performance.now() - t);
    return { sessionId: created.body.session_id as string, opening: created.body.opening as { text: string; choices: OfferedChoice[] }, socket };
  };
  let { sessionId, opening, socket } = await open();
  let choices = opening.choices;
  let storyText = opening.text;
  let turnNo = 0;
  stats.playersReady += 1;
  await ready;
  try {
    for (let t = 0; t < turnsPerPlayer && Date.now() < deadline; t++) {
      const { input, action } = nextInput(index, t, choices, storyText || story.title);
      const outcome = socket.expect(turnNo + 1, Math.min(turnTimeoutMs, Math.max(1000, graceUntil() - Date.now())));
      let submitted = performance.now();
      let accepted = false;
      for (let attempt = 0; !accepted && Date.now() < graceUntil(); attempt++) {
        const r = await request(() => drama.api.POST('/api/story/action', { body: { session_id: sessionId, user_input: input, action }, headers: { 'idempotency-key': `${index}-${sessionId}-${t}` } }));
        if (r.status === 202) {
          (r.reused ? stats.postMs : stats.postNewSocketMs).push(performance.now() - submitted);
          accepted = true;
          break;
        }
        if (r.status === 409 && r.body?.error?.code === 'turn_in_progress') {
          // One turn at a time per player: the server still thinks the previous turn runs.
          if (attempt === 0) stats.conflicts409 += 1;
          await sleep(5);
          submitted = performance.now();
          continue;
        }
        bump(stats.failures, errorKey(r, 'action'));
        if (r.status === 429) {
          // Honour Retry-After; against --url, start the server with RATE_LIMIT_ACTIONS_PER_MINUTE*=0.
          if (!warnedRateLimit) {
            warnedRateLimit = true;
            log('the server rate-limits actions (429): all players share one IP; set RATE_LIMIT_ACTIONS_PER_MINUTE=0 and RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP=0 on it');
          }
          await sleep(Math.min(60, Number(r.body?.error?.details?.retry_after_seconds) || 1) * 1000);
          continue;
        }
        if (r.status >= 500 || r.status === 0) {
          await sleep(100);
          continue;
        }
        break;
      }
      if (!accepted) {
        socket.cancel();
        break;
      }
      const { event, firstDelta, why } = await outcome;
      const done = performance.now();
      if (!event) {
        // Still queued when the run's time was up: the benchmark stopped waiting, the server did not fail.
        if (why === 'timeout' && Date.now() >= deadline) stats.abandoned += 1;
        else bump(stats.failures, `turn:${why ?? 'no_event'}`);
        break;
      }
      if (event.type !== 'turn.completed') {
        bump(stats.failures, `turn.failed:${event.type === 'turn.failed' ? event.error.code : '?'}`);
        continue;
      }
      const result = event.result;
      const e2eMs = done - submitted;
      stats.samples.push({
        e2eMs,
        firstDeltaMs: firstDelta === undefined ? undefined : firstDelta - submitted,
        overheadMs: e2eMs - ((result.timings.narrate ?? 0) + (result.timings.judge ?? 0)),
        timings: result.timings,
      });
      turnNo = result.turn_no;
      choices = result.updated_state.choices;
      if (result.decision.choice_index !== null) storyText = result.updated_state.text;
      if (result.updated_state.ended) {
        socket.close();
        stats.restarts += 1;
        ({ sessionId, opening, socket } = await open());
        choices = opening.choices;
        storyText = opening.text;
        turnNo = 0;
      }
    }
  } finally {
    socket.close();
  }
}

/**
 * Samples the server's responsiveness while a level runs, from outside the players: a TCP
 * connect, GET /healthz on that fresh connection, and GET /healthz on a kept-alive socket.
 */
class Prober {
  readonly connectMs: number[] = [];
  readonly healthzNewMs: number[] = [];
  readonly healthzKeptMs: number[] = [];
  #timer: NodeJS.Timeout | null = null;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly base: string) {}

  start(everyMs = 500): void {
    this.#timer = setInterval(() => void this.#probe(), everyMs);
  }

  async #probe(): Promise<void> {
    const url = new URL(this.base);
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const sock = net.connect({ host: url.hostname, port: Number(url.port) }, () => {
        this.connectMs.push(performance.now() - t0);
        sock.write(`GET /healthz HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
      });
      sock.once('data', () => {
        this.healthzNewMs.push(performance.now() - t0);
        sock.destroy();
        resolve();
      });
      sock.once('error', () => resolve());
      sock.setTimeout(60_000, () => (sock.destroy(), resolve()));
    });
    const t1 = performance.now();
    await new Promise<void>((resolve) => {
      const req = http.get(`${this.base}/healthz`, { agent: this.#agent }, (res) => {
        res.resume();
        res.on('end', () => {
          this.healthzKeptMs.push(performance.now() - t1);
          resolve();
        });
      });
      req.on('error', () => resolve());
    });
  }

  stop() {
    if (this.#timer) clearInterval(this.#timer);
    this.#agent.destroy();
    const f = (xs: number[]) => pick(summarize(xs), ['n', 'p50', 'p99', 'max']);
    return { tcp_connect_ms: f(this.connectMs), healthz_new_connection_ms: f(this.healthzNewMs), healthz_kept_alive_ms: f(this.healthzKeptMs) };
  }
}

async function runLevel(base: string, players: number, deadline: number, server: Server | null) {
  const stats: LevelStats = {
    samples: [],
    deltaLagMs: [],
    postMs: [],
    postNewSocketMs: [],
    completedLagMs: [],
    failures: {},
    conflicts409: 0,
    abandoned: 0,
    restarts: 0,
    setup: { guest: [], stories: [], session: [], wsOpen: [] },
    playersReady: 0,
    playersFailed: 0,
  };
  // In-flight turns may finish this long after the deadline; no new turn starts after it.
  const graceUntil = () => deadline + GRACE_MS;
  let release!: () => void;
  const ready = new Promise<void>((r) => (release = r));
  const setupStart = performance.now();
  const retriesBefore = staleSocketRetries;
  log(`${players} players: setting up (guest token, stories, session, WebSocket)`);
  const running = Array.from({ length: players }, (_, i) =>
    player(base, i, stats, ready, deadline, graceUntil).catch((err: unknown) => {
      stats.playersFailed += 1;
      bump(stats.failures, `player:${err instanceof Error ? err.message.slice(0, 80) : String(err)}`);
    }),
  );
  while (stats.playersReady + stats.playersFailed < players && Date.now() < deadline) await sleep(10);
  const setupS = (performance.now() - setupStart) / 1000;
  const clientMeter = new ProcessMeter();
  clientMeter.start();
  const serverBefore = server ? procStats(server.pid) : null;
  const prober = new Prober(base);
  prober.start();
  const wallStart = Date.now();
  const start = performance.now();
  log(`${players} players: ${stats.playersReady} ready in ${setupS.toFixed(1)} s; playing ${turnsPerPlayer} turns each`);
  const progress = setInterval(() => log(`${players} players: ${stats.samples.length} turns`), 5000);
  release();
  await Promise.all(running);
  clearInterval(progress);
  const seconds = (performance.now() - start) / 1000;
  const client = clientMeter.stop();
  const probes = prober.stop();
  const serverAfter = server ? procStats(server.pid) : null;
  const turns = stats.samples.length;
  const loop = server ? server.loop.filter((x) => x.t >= wallStart && x.t <= Date.now()) : [];
  const p = (s: Summary | null) => pick(s, ['p50', 'p95', 'p99', 'max']);
  const stages: Record<string, unknown> = {};
  for (const stage of STAGES) {
    if (stage === 'publish') continue; // filled in after turn.completed is serialised: not in the event
    stages[stage] = pick(summarize(stats.samples.map((s) => s.timings[stage])), ['p50', 'p99', 'max']);
  }
  return {
    players,
    players_ready: stats.playersReady,
    turns_completed: turns,
    turns_target: players * turnsPerPlayer,
    seconds: Math.round(seconds * 100) / 100,
    turns_per_s: Math.round((turns / seconds) * 10) / 10,
    failures: stats.failures,
    conflicts_409: stats.conflicts409,
    // Turns accepted but not finished when the duration limit plus grace ran out (a backlog, not an error).
    abandoned_at_deadline: stats.abandoned,
    e2e_ms: p(summarize(stats.samples.map((s) => s.e2eMs))),
    overhead_ms: p(summarize(stats.samples.map((s) => s.overheadMs))),
    first_delta_ms: pick(summarize(stats.samples.map((s) => s.firstDeltaMs)), ['p50', 'p99', 'max']),
    delta_server_to_client_ms: pick(summarize(stats.deltaLagMs), ['n', 'p50', 'p99', 'max']),
    completed_server_to_client_ms: pick(summarize(stats.completedLagMs), ['p50', 'p99', 'max']),
    post_action_ms: {
      kept_alive_socket: pick(summarize(stats.postMs), ['n', 'p50', 'p95', 'p99', 'max']),
      new_connection: pick(summarize(stats.postNewSocketMs), ['n', 'p50', 'p95', 'p99', 'max']),
    },
    stale_socket_retries: staleSocketRetries - retriesBefore,
    server_stages_ms: stages,
    // Sampled every 500 ms during the level from a separate connection (not a player).
    probes,
    setup: {
      seconds: Math.round(setupS * 100) / 100,
      guest_ms: pick(summarize(stats.setup.guest), ['p50', 'p99']),
      stories_ms: pick(summarize(stats.setup.stories), ['p50', 'p99']),
      session_ms: pick(summarize(stats.setup.session), ['p50', 'p99']),
      ws_open_ms: pick(summarize(stats.setup.wsOpen), ['p50', 'p99']),
    },
    stories_restarted: stats.restarts,
    loadavg_1m_after: Math.round(loadavg()[0]! * 100) / 100,
    client,
    server:
      serverBefore && serverAfter
        ? {
            cpu_percent: Math.round(((serverAfter.cpuS - serverBefore.cpuS) / seconds) * 1000) / 10,
            rss_mb: serverAfter.rssMb,
            peak_rss_mb: serverAfter.peakRssMb,
            // From the once-a-second samples: how late timers ran (a long loop iteration) and how busy the loop was.
            event_loop: loop.length === 0 ? null : {
              delay_p99_ms_median_second: summarize(loop.map((x) => x.delay_p99_ms))?.p50,
              delay_max_ms: Math.max(...loop.map((x) => x.delay_max_ms)),
              utilization_mean: Math.round((loop.reduce((a, x) => a + x.utilization, 0) / loop.length) * 1000) / 1000,
            },
          }
        : null,
  };
}

async function main() {
  warnIfBusy(log);
  const started = Date.now();
  // The whole run fits the budget: keep time for the last level's grace period and shutdown.
  const deadline = started + budgetMs - GRACE_MS - (spawnServer ? SERVER_SHUTDOWN_GRACE_MS + 2000 : 0);
  const results: unknown[] = [];
  let server: Server | null = null;
  const serverLogs: Record<string, number> = {};
  const mergeLogs = (s: Server) => {
    for (const [k, v] of Object.entries(s.logCounts)) serverLogs[k] = (serverLogs[k] ?? 0) + v;
  };
  const base = () => (server ? server.url : str(flags, 'url', 'http://127.0.0.1:8000'));
  try {
    if (!spawnServer) {
      const health = await sendOnce(() => httpFetch.fetch(new Request(`${base()}/readyz`)).then((response) => ({ response })));
      if (health.status !== 200) throw new Error(`${base()}/readyz answered ${health.status}; start a server or pass --spawn`);
    }
    for (const [i, players] of levels.entries()) {
      // Unused time rolls over: each level may use an equal share of what is left.
      const levelDeadline = Date.now() + (deadline - Date.now()) / (levels.length - i);
      if (spawnServer && !server) server = await startServer();
      const result = await runLevel(base(), players, levelDeadline, server);
      results.push(result);
      log(`${players} players: ${result.turns_completed}/${result.turns_target} turns in ${result.seconds} s = ${result.turns_per_s}/s; e2e p50 ${result.e2e_ms?.p50} ms, overhead p50 ${result.overhead_ms?.p50} ms; failures ${JSON.stringify(result.failures)}`);
      if (server && !oneServer) {
        mergeLogs(server);
        const code = await stopServer(server);
        (result as Record<string, unknown>).server_exit_code = code;
        server = null;
      }
    }
  } finally {
    if (server) {
      mergeLogs(server);
      await stopServer(server).catch((err) => log(`could not stop the server: ${String(err)}`));
    }
    agent.destroy();
  }
  const out = {
    bench: 'load',
    machine: { ...machine(), note: 'client and server share these cores' },
    config: {
      target: spawnServer ? `spawned all-in-one server (${db}${oneServer ? ', one for all levels' : ', fresh per level'})` : base(),
      turns_per_player: turnsPerPlayer,
      model_latency_ms: spawnServer ? modelLatencyMs : 'server setting',
      chunk_delay_ms: spawnServer ? chunkDelayMs : 'server setting',
      worker_concurrency: spawnServer ? spawnedSetting('WORKER_CONCURRENCY', workerConcurrency) : 'server setting',
      database_pool_size: spawnServer && db === 'postgres' ? spawnedSetting('DATABASE_POOL_SIZE') : undefined,
      duration_limit_s: budgetMs / 1000,
      truncated_by_duration_limit: (results as Array<{ turns_completed: number; turns_target: number }>).some((r) => r.turns_completed < r.turns_target),
    },
    levels: results,
    server_log: spawnServer ? serverLogs : undefined,
    wall_s: Math.round((Date.now() - started) / 100) / 10,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

const cleanup = async () => {
  const s = liveServer;
  if (s) await stopServer(s).catch(() => undefined);
};
process.once('SIGINT', () => {
  log('interrupted: stopping the spawned server');
  void cleanup().finally(() => process.exit(130));
});

try {
  await main();
} catch (err) {
  log(`load benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  await cleanup();
  process.exitCode = 1;
}
