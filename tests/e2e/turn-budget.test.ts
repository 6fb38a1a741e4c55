/**
 * What one turn costs, counted (never timed): SQL statements, Redis commands, events published and
 * model requests per turn, in both modes, against stated budgets. A change that adds a round trip
 * to the hot path fails here before it shows in a benchmark. The counts come from wrapping the
 * database and Redis clients' own query methods in this process (the server runs in it), the
 * events from a real WebSocket watcher, the model requests from the fake provider's HTTP log.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, type Env } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { startWorker, type RunningWorker } from '../../src/runtime/start-worker.js';
import { silentLogger } from '../../src/shared/logger.js';
import { dropPgSchema } from '../../src/storage/__fixtures__/store-targets.js';
import { api, openEvents } from '../support/clients.js';
import { TEST_REDIS_URL } from '../support/cluster.js';
import type { FakeRequest } from '../support/fake-llm/common.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-fake.js';
import { TEST_PG_URL } from '../support/test-env.js';

/**
 * The budgets, per turn, after the first (which warms caches), in a session with memories (so the
 * memory search runs). Raise one only with a reason in the commit message.
 */
const BUDGET = {
  /**
   * Distributed: one load, one commit, the memory search. The search reads nothing when the
   * session's memories have not changed since this process's copy of them (the load reads their
   * revision): then a turn is 2. The action's ownership check was a fourth until the session heads
   * shared in Redis (SESSION_HEAD_CACHE) answered it after a session's first action (which reads
   * the session, and remembers it in one Redis call more).
   */
  sqlStatements: 3,
  /**
   * All-in-one on PGlite, where the process is the database's only writer: the session cache
   * (src/storage/session-cache.ts) answers the ownership check and the load from the entry the
   * previous commit brought forward, so a turn is its commit and, when the session's memories
   * changed, the memory search: 2 (1 when they did not).
   */
  sqlStatementsCached: 2,
  /**
   * Distributed: the action (its user's and address's rate limits in one call, the session's
   * head and key in one call, the job), the worker (BullMQ's fetch and finish scripts and blocking waits, the cancel check,
   * the session's release), and one script call per event: 15. Two calls for the limits made 16.
   */
  redisCommands: 15,
  /** turn.started, the first delta, the rest of the narration in one delta, turn.decision, turn.completed. */
  events: 5,
  /** The narrator and the judge (the embedder is the offline one). */
  modelRequests: 2,
  /**
   * Starting a session: the story's head (no source), the owner's session count (MAX_SESSIONS_PER_USER),
   * and the session with its opening in one statement (it was a transaction of four).
   */
  sessionStartStatements: 3,
  /**
   * A client polling `GET /api/story/status/{task_id}` while the turn runs. Distributed: the
   * queue's state and job, then the session's slot (still the task's: not announced, so no read
   * of the turn table) and the owner, both from the shared session heads in one call: no
   * statement, 3 Redis commands (the slot and the owner were two calls, and before them a
   * statement each for the turn and the owner). All-in-one: the queue in the process knows too,
   * and the session cache the owner: none (the turn table was read before).
   */
  statusPollStatements: { distributed: 0, allInOne: 0 },
  statusPollRedisCommands: 3,
  /**
   * Bytes of statement parameters sent to the database per turn (the commit carries the ink state
   * twice, the view, the trace and the recording). Where the process compresses the trace and the
   * recording (`brotli`: PGlite), turns 2–4 sent 12.2–13.5 KB with the trace as JSON text and the
   * prompts in the recording too, 7.0–7.3 KB since (both gzipped, prompts once; brotli since, a
   * few per cent larger). Where the server does (`lz4`: migration 0020) they travel as JSON text:
   * 14.6–16.0 KB. A prompt stored twice, or a column sent uncompressed to PGlite, goes over.
   */
  sqlParameterBytes: { brotli: 8_500, lz4: 17_500 },
  /**
   * With `lz4`: what the server keeps of a turn's trace and recording together (pg_column_size),
   * compressed: 4.9–5.4 KB here. A column the server stopped compressing goes over.
   */
  storedBlobBytes: 6_500,
};

/** Bytes of a statement's parameters (strings as UTF-8, bytea as is) in a client's query arguments. */
function parameterBytes(args: unknown[]): number {
  const values = args.find((a) => Array.isArray(a)) ?? (args[0] as { values?: unknown[] } | undefined)?.values ?? [];
  let bytes = 0;
  for (const v of values as unknown[]) {
    if (typeof v === 'string') bytes += Buffer.byteLength(v);
    else if (v instanceof Uint8Array) bytes += v.byteLength;
  }
  return bytes;
}

const DECISION = { choiceIndex: null, variableUpdates: [], memories: [{ text: 'The lamp was lit.', importance: 4 }], summary: 'The player lit the lamp.' };
/** The judge of a turn whose input says so keeps no memory: the next turn's search has nothing new to read. */
const NOTHING_TO_REMEMBER = 'nothing to remember';
const FORGETTABLE = { ...DECISION, memories: [] };
const PASSAGE = ['You ', 'strike ', 'a ', 'match; ', 'the ', 'wick ', 'catches.'];
const isJudge = (req: FakeRequest) => req.body.response_format !== undefined || req.body.tools !== undefined;
/** While set, every judge call waits for it: the turn stays in flight, its narration streamed. */
let judgeGate: Promise<void> | null = null;

/** Counts calls of the database and Redis clients of this process while `on`. */
class Counter {
  sql = 0;
  sqlBytes = 0;
  /** Statements PGlite ran on this (the main) thread. */
  onThisThread = 0;
  redis = 0;
  on = false;
  readonly #undo: (() => void)[] = [];

  install(): void {
    const wrap = <T extends object>(proto: T, name: keyof T, bump: (args: unknown[]) => void) => {
      const original = proto[name] as unknown as (...a: unknown[]) => unknown;
      (proto as Record<keyof T, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
        bump(args);
        return original.apply(this, args);
      };
      this.#undo.push(() => ((proto as Record<keyof T, unknown>)[name] = original));
    };
    const sql = (args: unknown[]) => this.on && (this.sql++, (this.sqlBytes += parameterBytes(args)));
    const local = (args: unknown[]) => this.on && (this.sql++, this.onThisThread++, (this.sqlBytes += parameterBytes(args)));
    wrap(pg.Client.prototype, 'query', sql);
    // PGlite: statements on the instance, and inside transactions on the transaction object.
    const base = Object.getPrototypeOf(PGlite.prototype) as PGlite;
    wrap(base, 'query', local);
    wrap(base, 'exec', local);
    const originalTx = base.transaction;
    base.transaction = function (this: PGlite, callback) {
      return originalTx.call(this, (tx) => {
        const q = tx.query.bind(tx);
        const e = tx.exec.bind(tx);
        tx.query = ((...a: Parameters<typeof q>) => (local(a), q(...a))) as typeof tx.query;
        tx.exec = ((...a: Parameters<typeof e>) => (local(a), e(...a))) as typeof tx.exec;
        return callback(tx);
      });
    } as typeof base.transaction;
    this.#undo.push(() => (base.transaction = originalTx));
    wrap(Redis.prototype, 'sendCommand', () => this.on && this.redis++);
  }

  uninstall(): void {
    for (const undo of this.#undo.reverse()) undo();
  }
}

interface Mode {
  name: string;
  env(fakeUrl: string): Env;
  start(env: Env): Promise<{ url: string; stop(): Promise<void> }>;
  cleanup(): Promise<void>;
  redis: boolean;
  /** The database runs off the main thread: no statement may run on it. */
  dbOffThread?: boolean;
  /** Who compresses a turn's trace and recording (src/storage/repos/packed-json.ts). */
  blobs: 'brotli' | 'lz4';
  /** The session cache is on (all-in-one on PGlite): its own, smaller budget of statements. */
  sessionCache?: boolean;
  /** Bytes the database keeps of each turn's trace and recording together, and how it compressed them. */
  storedBlobs?(sessionId: string): Promise<{ bytes: number; compression: string | null }[]>;
}

const schema = `md_budget_${randomBytes(5).toString('hex')}`;
const dataDir = join(tmpdir(), `md-budget-${randomBytes(5).toString('hex')}`);
const common = (fakeUrl: string) => ({
  JWT_SECRET: 'budget-secret-budget-secret-0123456789ab',
  STORIES_DIR: 'tests/fixtures',
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  PORT: '0',
  COMPAT_BASE_URL: fakeUrl,
  NARRATOR_MODEL: 'compat:story-model',
  JUDGE_MODEL: 'compat:judge-model',
  // One delta at once, the rest when the stream ends: the event count does not depend on timing.
  NARRATION_FLUSH_MS: '60000',
  // No time-driven Redis traffic (stall checks) inside the counted window.
  QUEUE_STALLED_INTERVAL_MS: '600000',
});

const MODES: Mode[] = [
  {
    name: 'all-in-one (PGlite in memory on the event loop, in-process queue)',
    env: (fakeUrl) => loadEnv({ ...common(fakeUrl), DATA_DIR: ':memory:' }),
    async start(env) {
      const server: RunningServer = await startServer(env, silentLogger());
      return { url: server.url, stop: () => server.shutdown() };
    },
    cleanup: async () => undefined,
    redis: false,
    blobs: 'brotli',
    sessionCache: true,
  },
  {
    // What `npm start` runs: PGlite in a data directory, on its own thread, reached over node-postgres.
    name: 'all-in-one (PGlite on its own thread, in-process queue)',
    env: (fakeUrl) => loadEnv({ ...common(fakeUrl), DATA_DIR: dataDir }),
    async start(env) {
      const server: RunningServer = await startServer(env, silentLogger());
      return { url: server.url, stop: () => server.shutdown() };
    },
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    redis: false,
    dbOffThread: true,
    blobs: 'brotli',
    sessionCache: true,
  },
  {
    name: 'distributed (PostgreSQL, Redis, serve + work)',
    env: (fakeUrl) =>
      loadEnv({ ...common(fakeUrl), DATA_DIR: ':memory:', DATABASE_URL: TEST_PG_URL, DATABASE_SCHEMA: schema, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: schema, WORKER_HEALTH_PORT: '0' }),
    async start(env) {
      const web: RunningServer = await startServer(env, silentLogger(), 'serve');
      const worker: RunningWorker = await startWorker(env, silentLogger());
      return { url: web.url, stop: async () => void (await Promise.all([web.shutdown(), worker.shutdown()])) };
    },
    cleanup: () => dropPgSchema(TEST_PG_URL, schema),
    redis: true,
    blobs: 'lz4',
    async storedBlobs(sessionId) {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ bytes: number; compression: string | null }>(
          `SELECT pg_column_size(trace_gz) + pg_column_size(recording) AS bytes, pg_column_compression(recording) AS compression
             FROM "${schema}".turns WHERE session_id = $1 AND turn_no > 0 ORDER BY turn_no`,
          [sessionId],
        );
        return rows;
      } finally {
        await client.end();
      }
    },
  },
];

describe.each(MODES)('what a turn costs, counted: $name', (mode) => {
  type Fake = Awaited<ReturnType<typeof startFakeOpenAI>>;
  let fake: Fake;
  let running: { url: string; stop(): Promise<void> };
  const counter = new Counter();

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    fake.respond(async (req) => {
      if (!isJudge(req)) return { text: PASSAGE.join(''), chunks: PASSAGE };
      if (judgeGate) await judgeGate;
      return { json: JSON.stringify(req.body).includes(NOTHING_TO_REMEMBER) ? FORGETTABLE : DECISION };
    });
    running = await mode.start(mode.env(fake.baseURL));
    counter.install();
  }, 60_000);
  afterAll(async () => {
    counter.uninstall();
    await running?.stop();
    await fake?.close();
    await mode.cleanup();
  }, 60_000);

  it('a status poll while the turn runs stays within its budget, and the answer after the turn is the committed turn', async () => {
    const guest = await api(running.url)('POST', '/api/auth/guest');
    const call = api(running.url, guest.body.token);
    const storyId = (await call('GET', '/api/stories')).body.stories[0].id;
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    const ws = await openEvents(`${running.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest.body.token}`);
    let open!: () => void;
    judgeGate = new Promise<void>((resolve) => (open = resolve));
    try {
      const res = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the lamp' });
      expect(res.status).toBe(202);
      await ws.until((e) => e.type === 'narration.delta' && e.task_id === res.body.task_id, 20_000);
      const polls: { sql: number; redis: number; status: string }[] = [];
      for (let i = 0; i < 2; i++) {
        counter.sql = 0;
        counter.redis = 0;
        counter.on = true;
        const polled = await call('GET', `/api/story/status/${res.body.task_id}`);
        counter.on = false;
        polls.push({ sql: counter.sql, redis: counter.redis, status: polled.body.status });
      }
      console.info(`${mode.name}: a status poll while the turn runs ${JSON.stringify(polls)}`);
      for (const poll of polls) {
        expect(poll.status).toBe('processing');
        expect(poll.sql, 'SQL statements of a status poll').toBeLessThanOrEqual(mode.redis ? BUDGET.statusPollStatements.distributed : BUDGET.statusPollStatements.allInOne);
        expect(poll.redis, 'Redis commands of a status poll').toBeLessThanOrEqual(mode.redis ? BUDGET.statusPollRedisCommands : 0);
      }
      open();
      const completed = await ws.until((e) => e.type === 'turn.completed' && e.task_id === res.body.task_id, 20_000);
      // Announced, so the status is the committed turn, whether or not the job is finished in the queue yet.
      const after = await call('GET', `/api/story/status/${res.body.task_id}`);
      expect(after.body.status).toBe('completed');
      expect(after.body.result.turn_no).toBe((completed.result as { turn_no: number }).turn_no);
    } finally {
      judgeGate = null;
      open();
      ws.close();
    }
  });

  it('stays within the budget of SQL statements, Redis commands, events and model requests per turn', async () => {
    const guest = await api(running.url)('POST', '/api/auth/guest');
    const call = api(running.url, guest.body.token);
    const storyId = (await call('GET', '/api/stories')).body.stories[0].id;
    await call('POST', '/api/sessions', { story_id: storyId }); // the first warms the story's caches
    counter.sql = 0;
    counter.on = true;
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    counter.on = false;
    expect(counter.sql, 'SQL statements to start a session').toBeLessThanOrEqual(BUDGET.sessionStartStatements);
    expect(counter.sql).toBeGreaterThan(0);
    expect((await call('POST', `/api/sessions/${sessionId}/memories`, { text: 'The lamp is out of oil.' })).status).toBe(201);
    const ws = await openEvents(`${running.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest.body.token}`);
    const perTurn: { sql: number; sqlBytes: number; onThisThread: number; redis: number; events: number; models: number }[] = [];
    for (let turn = 1; turn <= 5; turn++) {
      const eventsBefore = ws.events.length;
      const modelsBefore = fake.requests.length;
      counter.sql = 0;
      counter.sqlBytes = 0;
      counter.onThisThread = 0;
      counter.redis = 0;
      counter.on = true;
      // Turn 4 keeps no memory, so turn 5's search finds the process's copy current.
      const res = await call('POST', '/api/story/action', { session_id: sessionId, user_input: `light the lamp, take ${turn}${turn === 4 ? `, ${NOTHING_TO_REMEMBER}` : ''}` });
      expect(res.status).toBe(202);
      await ws.until((e) => e.type === 'turn.completed' && e.task_id === res.body.task_id, 20_000);
      // The worker releases the session and announces before its job is finished in the queue.
      await new Promise((r) => setTimeout(r, 200));
      counter.on = false;
      perTurn.push({ sql: counter.sql, sqlBytes: counter.sqlBytes, onThisThread: counter.onThisThread, redis: counter.redis, events: ws.events.length - eventsBefore, models: fake.requests.length - modelsBefore });
    }
    ws.close();
    // What the counts were, for whoever changes a budget.
    console.info(`${mode.name}: per turn ${JSON.stringify(perTurn)}`);
    // Workers are one process here: after turn 4 kept no memory, turn 5's search reads nothing.
    expect(perTurn[4]!.sql, 'SQL statements of a turn whose session memories did not change').toBe(perTurn[3]!.sql - 1);
    for (const t of perTurn.slice(1)) {
      expect(t.sql, 'SQL statements per turn').toBeLessThanOrEqual(mode.sessionCache ? BUDGET.sqlStatementsCached : BUDGET.sqlStatements);
      expect(t.sqlBytes, 'bytes of SQL parameters per turn').toBeLessThanOrEqual(BUDGET.sqlParameterBytes[mode.blobs]);
      expect(t.redis, 'Redis commands per turn').toBeLessThanOrEqual(mode.redis ? BUDGET.redisCommands : 0);
      expect(t.events, 'events per turn').toBe(BUDGET.events);
      expect(t.models, 'model requests per turn').toBe(BUDGET.modelRequests);
      if (mode.dbOffThread) expect(t.onThisThread, 'statements PGlite ran on the event loop').toBe(0);
    }
    if (mode.storedBlobs) {
      const stored = await mode.storedBlobs(sessionId);
      console.info(`${mode.name}: trace and recording as stored ${JSON.stringify(stored)}`);
      expect(stored).toHaveLength(perTurn.length);
      for (const turn of stored) expect(turn).toEqual({ bytes: expect.any(Number), compression: 'lz4' });
      for (const turn of stored.slice(1)) expect(turn.bytes, 'bytes stored of a turn\'s trace and recording').toBeLessThanOrEqual(BUDGET.storedBlobBytes);
    }
    // Counting works: every turn used the database, and Redis where there is one.
    expect(perTurn.every((t) => t.sql > 0 && t.sqlBytes > 1000)).toBe(true);
    if (mode.redis) expect(perTurn.every((t) => t.redis > 0)).toBe(true);
  }, 90_000);
});
