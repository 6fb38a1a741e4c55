/**
 * In-process benchmark of the turn pipeline (no HTTP): N sessions play concurrently through
 * `DramaService.submitAction`, completion is observed on the event bus. Prints one JSON object
 * on stdout; progress goes to stderr.
 *
 *   npx tsx bench/pipeline.ts [--db pglite|postgres|pglite,postgres] [--sessions 1,50] [--turns 20]
 *                             [--model-latency-ms 0] [--chunk-delay-ms 0] [--duration-limit 110s]
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadEnv } from '../src/config/env.js';
import { isDramaError } from '../src/domain/errors.js';
import type { TurnEvent } from '../src/domain/ports/event-bus.js';
import type { SessionRecord, StoryRecord, TurnResult } from '../src/domain/types.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import { silentLogger } from '../src/shared/logger.js';
import { duration, list, log, num, parseFlags, str } from './lib/args.js';
import { machine, warnIfBusy } from './lib/machine.js';
import { nextInput, type OfferedChoice } from './lib/player-input.js';
import { ProcessMeter, summarize, summarizeStages, type Stage } from './lib/stats.js';

const USAGE = `Usage: npx tsx bench/pipeline.ts [options]
  --db pglite|postgres        database(s), comma list allowed (default pglite)
  --database-url URL          PostgreSQL for --db postgres (default postgres://postgres@127.0.0.1:5432/test)
  --pool-size N               DATABASE_POOL_SIZE (default: the server's)
  --trace-store               time every Store call (adds an await per call: shifts microtask order a little)
  --no-metrics                record no metrics (what recording costs: compare with and without)
  --otlp-endpoint URL         trace every turn to this OTLP/HTTP collector (what tracing costs; bench/tracing-overhead.ts)
  --pglite-dir memory|disk    PGlite in memory (default) or on disk in a temp DATA_DIR (what a server uses)
  --sessions 1,50             concurrency levels: sessions playing at once (default 1,50)
  --turns 20                  turns per session (default 20)
  --model-latency-ms X        offline models' delay before first output (OFFLINE_LATENCY_MS, default 0)
  --chunk-delay-ms Y          offline narrator delay per streamed chunk (OFFLINE_CHUNK_DELAY_MS, default 0)
  --worker-concurrency N      WORKER_CONCURRENCY (default: the server's)
  --warmup N                  unmeasured turns per story before each level (default 3)
  --duration-limit 110s       wall-clock budget for all levels; no new turn starts after it
  --turn-timeout 60s          give up waiting for one turn after this`;

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';

const flags = parseFlags(
  process.argv.slice(2),
  {
    db: 'value',
    'database-url': 'value',
    'pool-size': 'value',
    'pglite-dir': 'value',
    'trace-store': 'switch',
    'no-metrics': 'switch',
    'otlp-endpoint': 'value',
    sessions: 'value',
    turns: 'value',
    'model-latency-ms': 'value',
    'chunk-delay-ms': 'value',
    'worker-concurrency': 'value',
    warmup: 'value',
    'duration-limit': 'value',
    'turn-timeout': 'value',
  },
  USAGE,
);
const dbs = str(flags, 'db', 'pglite').split(',').map((s) => s.trim());
for (const d of dbs) if (d !== 'pglite' && d !== 'postgres') throw new Error(`--db must be pglite or postgres, got "${d}"`);
const databaseUrl = str(flags, 'database-url', process.env.BENCH_DATABASE_URL ?? DEFAULT_PG);
const levels = list(flags, 'sessions', [1, 50]);
const turnsPerSession = num(flags, 'turns', 20);
const modelLatencyMs = num(flags, 'model-latency-ms', 0);
const chunkDelayMs = num(flags, 'chunk-delay-ms', 0);
const warmupTurns = num(flags, 'warmup', 3);
const budgetMs = duration(flags, 'duration-limit', 110_000);
const turnTimeoutMs = duration(flags, 'turn-timeout', 60_000);
const pgliteDir = str(flags, 'pglite-dir', 'memory');
if (pgliteDir !== 'memory' && pgliteDir !== 'disk') throw new Error(`--pglite-dir must be memory or disk, got "${pgliteDir}"`);
const tempDirs = new Set<string>();
const poolSize = flags.has('pool-size') ? String(num(flags, 'pool-size', 20)) : undefined;
const workerConcurrency = flags.has('worker-concurrency') ? String(num(flags, 'worker-concurrency', 32)) : undefined;

const schemasToDrop = new Set<string>();

async function dropSchemas(): Promise<void> {
  if (schemasToDrop.size === 0) return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemasToDrop) {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      schemasToDrop.delete(schema);
    }
  } finally {
    await client.end();
  }
}

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mock-drama-pipeline-'));
  tempDirs.add(dir);
  return dir;
}

function removeTempDirs(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function envFor(db: 'pglite' | 'postgres') {
  const source: Record<string, string | undefined> = {
    LOG_LEVEL: 'silent',
    DATA_DIR: db === 'pglite' && pgliteDir === 'disk' ? tempDataDir() : ':memory:',
    STORIES_DIR: `${REPO}stories`,
    JWT_SECRET: randomBytes(24).toString('hex'),
    OFFLINE_CHUNK_DELAY_MS: String(chunkDelayMs),
    OFFLINE_LATENCY_MS: String(modelLatencyMs),
    WORKER_CONCURRENCY: workerConcurrency,
    OTEL_EXPORTER_OTLP_ENDPOINT: flags.has('otlp-endpoint') ? str(flags, 'otlp-endpoint', '') : undefined,
  };
  if (db === 'postgres') {
    const schema = `bench_${randomBytes(5).toString('hex')}`;
    schemasToDrop.add(schema);
    Object.assign(source, { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, DATABASE_POOL_SIZE: poolSize });
  }
  return loadEnv(source);
}

interface TurnRecord {
  result: TurnResult;
  e2eMs: number;
  firstDeltaMs: number | undefined;
}

interface LevelStats {
  records: TurnRecord[];
  failures: Record<string, number>;
  conflicts409: number;
  retries: number;
  restarts: number;
  sessionStartMs: number[];
}

/** Waits for the outcome of the session's next turn, matched by turn number. */
class SessionWatcher {
  #waiter: { turnNo: number; resolve: (e: TurnEvent) => void; firstDelta?: number } | null = null;
  #unsubscribe: () => void = () => undefined;
  retries = 0;

  async attach(runtime: Runtime, sessionId: string): Promise<void> {
    const sub = await runtime.deps.bus.subscribe(sessionId, (event) => this.#on(event));
    this.#unsubscribe = () => sub.unsubscribe();
  }

  #on(event: TurnEvent): void {
    const w = this.#waiter;
    if (!w || event.turnNo !== w.turnNo) return;
    if (event.type === 'narration.delta') w.firstDelta ??= performance.now();
    else if (event.type === 'turn.retrying') this.retries += 1;
    else if (event.type === 'turn.completed' || event.type === 'turn.failed') {
      this.#waiter = null;
      w.resolve(event);
    }
  }

  /** Arm before submitting; resolves with the terminal event and the first-delta time. */
  expect(turnNo: number): Promise<{ event: TurnEvent | null; firstDelta: number | undefined }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = null;
        resolve({ event: null, firstDelta: undefined });
      }, turnTimeoutMs);
      const waiter: { turnNo: number; resolve: (e: TurnEvent) => void; firstDelta?: number } = {
        turnNo,
        resolve: (event) => {
          clearTimeout(timer);
          resolve({ event, firstDelta: waiter.firstDelta });
        },
      };
      this.#waiter = waiter;
    });
  }

  detach(): void {
    this.#unsubscribe();
  }
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/**
 * Time every Store call (wall time, so under concurrency it includes waiting for the connection:
 * PGlite has exactly one). Wraps the repositories in place; the pipeline holds the same objects.
 */
function traceStore(runtime: Runtime): { calls: Map<string, number[]>; enabled: boolean } {
  const trace = { calls: new Map<string, number[]>(), enabled: false };
  const store = runtime.deps.store as unknown as Record<string, Record<string, unknown>>;
  for (const repo of ['stories', 'sessions', 'turns', 'memories']) {
    const target = store[repo]!;
    for (const [name, fn] of Object.entries(target)) {
      if (typeof fn !== 'function') continue;
      const key = `${repo}.${name}`;
      target[name] = async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          if (trace.enabled) {
            let list = trace.calls.get(key);
            if (!list) trace.calls.set(key, (list = []));
            list.push(performance.now() - t);
          }
        }
      };
    }
  }
  return trace;
}

/** One player: start a session, play `turns` turns (restarting if the story ends). */
async function play(runtime: Runtime, story: StoryRecord, player: number, turns: number, deadline: number, stats: LevelStats | null, ready: Promise<void>): Promise<void> {
  const ownerId = `bench-${randomUUID()}`;
  const svc = runtime.service;
  const open = async () => {
    const t = performance.now();
    const { session } = await svc.startSession(ownerId, story.id);
    stats?.sessionStartMs.push(performance.now() - t);
    const watcher = new SessionWatcher();
    await watcher.attach(runtime, session.id);
    return { session, watcher };
  };
  let { session, watcher } = await open();
  let choices: OfferedChoice[] = session.view.choices;
  let storyText = session.view.text;
  let turnNo = session.turnNo;
  await ready;
  try {
    for (let t = 0; t < turns && Date.now() < deadline; t++) {
      const { input, action } = nextInput(player, t, choices, storyText || story.title);
      const outcome = watcher.expect(turnNo + 1);
      const submitted = performance.now();
      let accepted = false;
      for (let attempt = 0; attempt < 2000 && !accepted; attempt++) {
        try {
          await svc.submitAction({ ownerId, sessionId: session.id, input, action });
          accepted = true;
        } catch (err) {
          const code = isDramaError(err) ? err.code : 'exception';
          if (code !== 'turn_in_progress') {
            if (stats) bump(stats.failures, `submit:${code}`);
            break;
          }
          // The previous turn's completed event arrived before the queue released the session.
          if (stats && attempt === 0) stats.conflicts409 += 1;
          await sleep(1);
        }
      }
      if (!accepted) break;
      const { event, firstDelta } = await outcome;
      const done = performance.now();
      if (!event) {
        if (stats) bump(stats.failures, 'timeout');
        break;
      }
      if (event.type === 'turn.failed') {
        if (stats) bump(stats.failures, `turn.failed:${event.error.code}`);
        continue;
      }
      if (event.type !== 'turn.completed') continue;
      const result = event.result;
      stats?.records.push({ result, e2eMs: done - submitted, firstDeltaMs: firstDelta === undefined ? undefined : firstDelta - submitted });
      turnNo = result.turnNo;
      choices = result.updated_state.choices;
      if (result.decision.choiceIndex !== null) storyText = result.updated_state.text;
      if (result.updated_state.ended) {
        watcher.detach();
        if (stats) stats.restarts += 1;
        ({ session, watcher } = await open());
        choices = session.view.choices;
        storyText = session.view.text;
        turnNo = session.turnNo;
      }
    }
  } finally {
    if (stats) stats.retries += watcher.retries;
    watcher.detach();
  }
}

async function runLevel(db: 'pglite' | 'postgres', sessions: number, deadline: number) {
  const env = envFor(db);
  log(`${db}: opening runtime for ${sessions} session(s)${env.DATABASE_SCHEMA ? ` (schema ${env.DATABASE_SCHEMA})` : ''}`);
  const t0 = performance.now();
  const runtime = await createRuntime(env, { logger: silentLogger(), instrument: !flags.has('no-metrics') });
  const openMs = performance.now() - t0;
  const trace = flags.has('trace-store') ? traceStore(runtime) : { calls: new Map<string, number[]>(), enabled: false };
  const stats: LevelStats = { records: [], failures: {}, conflicts409: 0, retries: 0, restarts: 0, sessionStartMs: [] };
  try {
    const stories = (await runtime.service.listStories()).filter((s) => s.ownerId === null);
    if (stories.length === 0) throw new Error(`no shipped stories found in ${env.STORIES_DIR}`);
    if (warmupTurns > 0) {
      log(`${db}: warming up (${warmupTurns} turns per story, not measured)`);
      await Promise.all(stories.map((s, i) => play(runtime, s, 10_000 + i, warmupTurns, deadline, null, Promise.resolve())));
    }
    let release!: () => void;
    const ready = new Promise<void>((r) => (release = r));
    const meter = new ProcessMeter();
    log(`${db}: starting ${sessions} session(s) × ${turnsPerSession} turns`);
    const players = Array.from({ length: sessions }, (_, i) => play(runtime, stories[i % stories.length]!, i, turnsPerSession, deadline, stats, ready));
    // Sessions are created first; turns start together once every player has one.
    await waitUntil(() => stats.sessionStartMs.length >= sessions, players);
    meter.start();
    trace.enabled = true;
    const start = performance.now();
    const progress = setInterval(() => log(`${db} ×${sessions}: ${stats.records.length} turns`), 5000);
    release();
    const settled = await Promise.allSettled(players);
    clearInterval(progress);
    const seconds = (performance.now() - start) / 1000;
    const process_ = meter.stop();
    trace.enabled = false;
    for (const s of settled) if (s.status === 'rejected') bump(stats.failures, `player:${String(s.reason?.code ?? s.reason?.message ?? s.reason).slice(0, 80)}`);
    // Close first: `timings.publish` is filled in after turn.completed is delivered.
    await runtime.close();
    return summarizeLevel(db, sessions, stats, seconds, openMs, process_, runtime, trace.calls);
  } catch (err) {
    await runtime.close().catch(() => undefined);
    throw err;
  }
}

async function waitUntil(cond: () => boolean, players: Promise<void>[]): Promise<void> {
  let failed: unknown = null;
  for (const p of players) p.catch((err) => (failed ??= err));
  while (!cond()) {
    if (failed) throw failed;
    await sleep(5);
  }
}

function summarizeLevel(db: string, sessions: number, stats: LevelStats, seconds: number, openMs: number, proc: ReturnType<ProcessMeter['stop']>, runtime: Runtime, calls: Map<string, number[]>) {
  const timings = stats.records.map((r) => r.result.timings as Partial<Record<Stage, number>>);
  const overhead = stats.records.map((r) => r.e2eMs - (r.result.timings.narrate + r.result.timings.judge));
  const turns = stats.records.length;
  return {
    db,
    vector_search: runtime.deps.store.vectorSupport,
    sessions,
    turns,
    seconds: Math.round(seconds * 100) / 100,
    turns_per_s: Math.round((turns / seconds) * 10) / 10,
    e2e_ms: summarize(stats.records.map((r) => r.e2eMs)),
    overhead_ms: summarize(overhead),
    first_delta_ms: summarize(stats.records.map((r) => r.firstDeltaMs)),
    stages_ms: summarizeStages(timings),
    session_start_ms: summarize(stats.sessionStartMs),
    choices_taken: stats.records.filter((r) => r.result.decision.choiceIndex !== null).length,
    memories_written: stats.records.reduce((n, r) => n + r.result.decision.memories.length, 0),
    conflicts_409: stats.conflicts409,
    turn_retries: stats.retries,
    stories_restarted: stats.restarts,
    failures: stats.failures,
    // --trace-store: wall time per Store call during the measured phase (includes waiting for a connection).
    store_calls_ms: calls.size === 0 ? undefined : Object.fromEntries(
      [...calls].sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0)).map(([k, v]) => {
        const sm = summarize(v)!;
        return [k, { n: sm.n, p50: sm.p50, p99: sm.p99, mean: sm.mean, per_turn_ms: Math.round((v.reduce((x, y) => x + y, 0) / Math.max(1, turns)) * 100) / 100 }];
      }),
    ),
    runtime_open_ms: Math.round(openMs),
    process: proc,
    loadavg_1m_after: Math.round(loadavg()[0]! * 100) / 100,
  };
}

async function main() {
  warnIfBusy(log);
  const started = Date.now();
  const deadline = started + budgetMs;
  const results = [];
  const plan = dbs.flatMap((db) => levels.map((sessions) => ({ db: db as 'pglite' | 'postgres', sessions })));
  try {
    for (const [i, step] of plan.entries()) {
      // Unused time rolls over: each level may use an equal share of what is left.
      const levelDeadline = Date.now() + (deadline - Date.now()) / (plan.length - i);
      const result = await runLevel(step.db, step.sessions, levelDeadline);
      results.push(result);
      log(`${step.db} ×${step.sessions}: ${result.turns} turns in ${result.seconds}s = ${result.turns_per_s}/s, e2e p50 ${result.e2e_ms?.p50} ms, overhead p50 ${result.overhead_ms?.p50} ms`);
      await dropSchemas();
      removeTempDirs();
    }
  } finally {
    removeTempDirs();
    await dropSchemas().catch((err) => log(`could not drop bench schemas: ${String(err)}`));
  }
  const out = {
    bench: 'pipeline',
    machine: machine(),
    config: {
      turns_per_session: turnsPerSession,
      pglite_data_dir: pgliteDir,
      model_latency_ms: modelLatencyMs,
      chunk_delay_ms: chunkDelayMs,
      worker_concurrency: loadEnv({ DATA_DIR: ':memory:', WORKER_CONCURRENCY: workerConcurrency }).WORKER_CONCURRENCY,
      database_pool_size: loadEnv({ DATA_DIR: ':memory:', DATABASE_POOL_SIZE: poolSize }).DATABASE_POOL_SIZE,
      warmup_turns_per_story: warmupTurns,
      metrics: !flags.has('no-metrics'),
      duration_limit_s: budgetMs / 1000,
      truncated_by_duration_limit: results.some((r) => r.turns < r.sessions * turnsPerSession),
    },
    levels: results,
    wall_s: Math.round((Date.now() - started) / 100) / 10,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

let interrupted = false;
process.once('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log('interrupted: dropping bench schemas');
  removeTempDirs();
  void dropSchemas().finally(() => process.exit(130));
});

try {
  await main();
} catch (err) {
  log(`pipeline benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
}
