/**
 * Metrics and health, end to end: /metrics is scraped over real HTTP before and after real turns
 * (models behind fake provider servers, so errors, fallbacks, repairs and prices are real), label
 * values stay bounded under 1,000 sessions, and /readyz follows PostgreSQL and Redis going away and
 * coming back (a Redis of the test's own, PostgreSQL behind a TCP proxy the test can cut).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { LABEL_VALUES } from '../../src/observability/metrics.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { startWorker, type RunningWorker } from '../../src/runtime/start-worker.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents, readSse } from '../support/clients.js';
import { freePort } from '../support/cluster.js';
import type { FakeRequest } from '../support/fake-llm/common.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-fake.js';
import { parsePrometheusText, type Scrape } from '../support/prom-text.js';
import { eventually, TEST_PG_URL, testServerEnv } from '../support/test-env.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const DECISION = { choiceIndex: 0, variableUpdates: [], memories: [{ text: 'The lamp was lit.', importance: 4 }], summary: 'The player lit the lamp.' };
const PASSAGE = ['You ', 'strike ', 'a ', 'match; ', 'the ', 'wick ', 'catches.'];
const isJudge = (req: FakeRequest) => req.body.response_format !== undefined || req.body.tools !== undefined;

async function scrape(url: string, token?: string): Promise<Scrape> {
  const res = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

/** How much each series moved between two scrapes. */
const moved = (before: Scrape, after: Scrape) => (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);

describe('metrics of an all-in-one server, models behind fake providers', () => {
  type Fake = Awaited<ReturnType<typeof startFakeOpenAI>>;
  let primary: Fake;
  let backup: Fake;
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let token: string;
  let storyId: string;
  const metrics = () => scrape(server.url, METRICS_TOKEN);

  beforeAll(async () => {
    [primary, backup] = await Promise.all([startFakeOpenAI(), startFakeOpenAI()]);
    server = await startServer(
      testServerEnv({
        JWT_SECRET: 'metrics-secret-metrics-secret-0123456789',
        COMPAT_BASE_URL: primary.baseURL,
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: backup.baseURL,
        NARRATOR_MODEL: 'compat:story-model,openai:gpt-4o-mini',
        JUDGE_MODEL: 'compat:judge-model',
        MODEL_MAX_RETRIES: '0',
        TURN_ATTEMPTS: '1',
        DAILY_TOKEN_BUDGET: '1000000',
        MODEL_PRICES: JSON.stringify({ 'story-model': { input: 1, output: 2 }, 'judge-model': { input: 3, output: 4 } }),
        METRICS_TOKEN,
        ADMIN_TOKEN,
      }),
      silentLogger(),
    );
    token = (await api(server.url)('POST', '/api/auth/guest')).body.token;
    call = api(server.url, token);
    storyId = (await call('GET', '/api/stories')).body.stories[0].id;
  });
  afterAll(async () => {
    await server?.shutdown();
    await Promise.all([primary?.close(), backup?.close()]);
  });
  beforeEach(() => {
    for (const f of [primary, backup]) {
      f.reset();
      f.respond((req) => (isJudge(req) ? { json: DECISION, usage: { inputTokens: 100, outputTokens: 20 } } : { text: PASSAGE.join(''), chunks: PASSAGE, usage: { inputTokens: 200, outputTokens: 7 } }));
    }
  });

  async function play(input = 'light the lamp', remember?: string): Promise<{ sessionId: string; end: Record<string, any> }> {
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    if (remember) expect((await call('POST', `/api/sessions/${sessionId}/memories`, { text: remember })).status).toBe(201);
    const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${token}`);
    const res = await call('POST', '/api/story/action', { session_id: sessionId, user_input: input });
    expect(res.status).toBe(202);
    const end = await ws.until((e) => e.type === 'turn.completed' || e.type === 'turn.failed', 20_000);
    ws.close();
    // turn.completed is published before the turn handler returns and records the turn.
    await eventually(async () => ((await metrics()).value('mock_drama_turns_in_progress') === 0 ? true : undefined));
    return { sessionId, end };
  }

  it('completed turns move the turn, queue, first-token, model, token, cost, judge and memory series', async () => {
    const before = await metrics();
    const turns = 3;
    // Each session holds a remembered fact, so each turn searches its memories.
    for (let i = 0; i < turns; i++) expect((await play('light the lamp', 'The lamp is out of oil.')).end.type).toBe('turn.completed');
    const after = await metrics();
    const d = moved(before, after);

    expect(d('mock_drama_turns_total', { outcome: 'completed' })).toBe(turns);
    for (const stage of ['load', 'narrate', 'judge', 'apply', 'embed', 'commit', 'publish', 'total']) {
      expect(d('mock_drama_turn_stage_duration_seconds_count', { stage, outcome: 'completed' }), stage).toBe(turns);
    }
    expect(d('mock_drama_turn_stage_duration_seconds_sum', { stage: 'total', outcome: 'completed' })).toBeGreaterThan(0);
    // le="+Inf" holds every observation; a finite bucket no more than that.
    expect(d('mock_drama_turn_stage_duration_seconds_bucket', { stage: 'total', outcome: 'completed', le: '+Inf' })).toBe(turns);
    expect(d('mock_drama_queue_wait_seconds_count')).toBe(turns);
    expect(d('mock_drama_narrator_first_token_seconds_count', { provider: 'compat', model: 'story-model' })).toBe(turns);
    expect(d('mock_drama_turn_first_delta_seconds_count')).toBe(turns);
    expect(d('mock_drama_memory_retrieval_duration_seconds_count')).toBe(turns);
    // Every memory search is counted by how the in-process cache served it; the session stays cached.
    const searches = ['hit', 'refresh', 'load', 'miss'].map((result) => d('mock_drama_memory_cache_searches_total', { result }));
    expect(searches.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(turns);
    expect(after.value('mock_drama_memory_cache_sessions')).toBeGreaterThanOrEqual(1);
    // The sessions' memories are held in the cache.
    expect(after.has('mock_drama_memory_cache_bytes')).toBe(true);
    expect(d('mock_drama_judge_decisions_total', { result: 'direct' })).toBe(turns);
    // All-in-one on PGlite: the session cache answers each new session's first action check from
    // what its start wrote; each turn's load is that session's first, read from the database.
    expect(d('mock_drama_session_cache_reads_total', { result: 'hit' })).toBeGreaterThanOrEqual(turns);
    expect(d('mock_drama_session_cache_reads_total', { result: 'miss' })).toBeGreaterThanOrEqual(turns);
    expect(after.value('mock_drama_session_cache_sessions')).toBeGreaterThanOrEqual(turns);

    // A session with no memories skips the memory search; the story's cards still take the query's
    // embedding, and the judge's one memory is embedded at commit: two embeddings, no search.
    const bare = await metrics();
    expect((await play()).end.type).toBe('turn.completed');
    const e = moved(bare, await metrics());
    expect(e('mock_drama_memory_retrieval_duration_seconds_count')).toBe(0);
    expect(e('mock_drama_model_calls_total', { provider: 'offline', model: 'offline-embedding', role: 'embedder', outcome: 'ok' })).toBe(2);

    expect(d('mock_drama_model_calls_total', { provider: 'compat', model: 'story-model', role: 'narrator', outcome: 'ok' })).toBe(turns);
    expect(d('mock_drama_model_calls_total', { provider: 'compat', model: 'judge-model', role: 'judge', outcome: 'ok' })).toBe(turns);
    expect(d('mock_drama_model_calls_total', { provider: 'offline', model: 'offline-embedding', role: 'embedder', outcome: 'ok' })).toBeGreaterThanOrEqual(turns);
    expect(d('mock_drama_model_call_duration_seconds_count', { provider: 'compat', model: 'story-model', role: 'narrator' })).toBe(turns);
    expect(d('mock_drama_model_tokens_total', { provider: 'compat', model: 'story-model', role: 'narrator', type: 'input' })).toBe(200 * turns);
    expect(d('mock_drama_model_tokens_total', { provider: 'compat', model: 'story-model', role: 'narrator', type: 'output' })).toBe(7 * turns);
    expect(d('mock_drama_model_tokens_total', { provider: 'compat', model: 'judge-model', role: 'judge', type: 'input' })).toBe(100 * turns);
    // 200 in × $1/M + 7 out × $2/M, and 100 × $3/M + 20 × $4/M, per turn.
    expect(d('mock_drama_model_cost_usd_total', { model: 'story-model' })).toBeCloseTo(turns * (200 * 1 + 7 * 2) / 1e6, 10);
    expect(d('mock_drama_model_cost_usd_total', { model: 'judge-model' })).toBeCloseTo(turns * (100 * 3 + 20 * 4) / 1e6, 10);
    expect(d('mock_drama_budget_checks_total', { result: 'ok' })).toBe(turns);
    expect(after.value('mock_drama_turns_in_progress')).toBe(0);
    expect(after.value('mock_drama_queue_depth', { state: 'waiting' })).toBe(0);
    expect(after.value('mock_drama_worker_concurrency')).toBe(loadEnv({}).WORKER_CONCURRENCY);
    // Node's default process metrics.
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) expect(after.has(name), name).toBe(true);
  });

  it('a failing model counts as an error of that model; the chain falls back and the turn completes', async () => {
    primary.respond((req) => (isJudge(req) ? { json: DECISION, usage: { inputTokens: 100, outputTokens: 20 } } : { status: 500 }));
    backup.respond(() => ({ text: 'The backup narrator speaks.', usage: { inputTokens: 150, outputTokens: 5 } }));
    const before = await metrics();
    expect((await play()).end.type).toBe('turn.completed');
    const d = moved(before, await metrics());
    expect(d('mock_drama_model_calls_total', { provider: 'compat', model: 'story-model', role: 'narrator', outcome: 'error' })).toBe(1);
    expect(d('mock_drama_model_calls_total', { provider: 'openai', model: 'gpt-4o-mini', role: 'narrator', outcome: 'ok' })).toBe(1);
    // The backup reports a dated model id; it is counted under the configured one.
    expect(d('mock_drama_model_tokens_total', { provider: 'openai', model: 'gpt-4o-mini', role: 'narrator', type: 'input' })).toBe(150);
    expect(d('mock_drama_turns_total', { outcome: 'completed' })).toBe(1);
  });

  it('counts judge repairs and fallbacks, and failed turns by error code', async () => {
    let judgeCalls = 0;
    primary.respond((req) => (isJudge(req) ? (judgeCalls++ === 0 ? { json: { choiceIndex: 99, variableUpdates: [], memories: [], summary: 'x' } } : { json: DECISION }) : { text: 'You act.' }));
    let before = await metrics();
    expect((await play()).end.type).toBe('turn.completed');
    let d = moved(before, await metrics());
    expect(d('mock_drama_judge_decisions_total', { result: 'repaired' })).toBe(1);
    expect(d('mock_drama_model_tokens_total', { model: 'judge-model', role: 'judge-repair', type: 'input' })).toBeGreaterThan(0);

    primary.respond((req) => (isJudge(req) ? { json: { choiceIndex: 'zero' } } : { text: 'You act.' }));
    before = await metrics();
    expect((await play()).end.type).toBe('turn.completed');
    d = moved(before, await metrics());
    expect(d('mock_drama_judge_decisions_total', { result: 'fallback' })).toBe(1);
    expect(d('mock_drama_model_calls_total', { provider: 'offline', model: 'offline-judge', role: 'judge-fallback', outcome: 'ok' })).toBe(1);

    primary.respond(() => ({ status: 500 }));
    backup.respond(() => ({ status: 500 }));
    before = await metrics();
    const { end } = await play();
    expect(end.type).toBe('turn.failed');
    d = moved(before, await metrics());
    expect(d('mock_drama_turns_total', { outcome: 'failed' })).toBe(1);
    expect(d('mock_drama_turn_stage_duration_seconds_count', { stage: 'total', outcome: 'failed' })).toBe(1);
    expect(d('mock_drama_errors_total', { source: 'turn', code: String((end.error as { code: string }).code) })).toBe(1);
    expect(d('mock_drama_model_calls_total', { provider: 'compat', model: 'story-model', outcome: 'error' })).toBe(1);
    expect(d('mock_drama_model_calls_total', { provider: 'openai', model: 'gpt-4o-mini', outcome: 'error' })).toBe(1);
    expect(d('mock_drama_turns_total', { outcome: 'completed' })).toBe(0);
  });

  it('counts open WebSocket and SSE connections by transport', async () => {
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    const base = await metrics();
    const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${token}`);
    const sse = readSse(`${server.url}/api/sessions/${sessionId}/events`, { authorization: `Bearer ${token}` }, () => false, 1500);
    const during = await eventually(async () => {
      const s = await metrics();
      return s.value('mock_drama_stream_connections', { transport: 'sse' }) > base.value('mock_drama_stream_connections', { transport: 'sse' }) ? s : undefined;
    });
    expect(during.value('mock_drama_stream_connections', { transport: 'websocket' }) - base.value('mock_drama_stream_connections', { transport: 'websocket' })).toBe(1);
    expect(during.value('mock_drama_stream_connections', { transport: 'sse' }) - base.value('mock_drama_stream_connections', { transport: 'sse' })).toBe(1);
    ws.close();
    await sse;
    await eventually(async () => ((await metrics()).value('mock_drama_stream_connections') === base.value('mock_drama_stream_connections') ? true : undefined));
  });

  it('guards /metrics with METRICS_TOKEN and counts HTTP errors by code', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const before = await metrics();
    expect((await call('GET', '/api/sessions/no-such-session')).status).toBe(404);
    expect((await api(server.url)('GET', '/api/sessions/x')).status).toBe(401);
    const d = moved(before, await metrics());
    expect(d('mock_drama_errors_total', { source: 'http', code: 'session_not_found' })).toBe(1);
    // The two refused scrapes above count too.
    expect(d('mock_drama_errors_total', { source: 'http', code: 'unauthorized' })).toBeGreaterThanOrEqual(1);
  });

  it('admin view: live counts behind the admin token', async () => {
    await play();
    expect((await api(server.url)('GET', '/admin/stats')).status).toBe(401);
    expect((await api(server.url, token)('GET', '/admin/stats')).status).toBeGreaterThanOrEqual(401);
    const stats = await api(server.url, ADMIN_TOKEN)('GET', '/admin/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.sessions_active).toBeGreaterThanOrEqual(1);
    expect(stats.body.turns_per_minute).toBeGreaterThan(0);
    expect(stats.body.queue).toEqual({ waiting: 0, active: 0, delayed: 0, depth: 0 });
    const story = stats.body.spend_today.by_model.find((m: { model: string }) => m.model === 'story-model');
    expect(story).toMatchObject({ provider: 'compat', calls: expect.any(Number) });
    expect(story.cost_usd).toBeGreaterThan(0);
    expect(stats.body.spend_today.total_usd).toBeGreaterThanOrEqual(story.cost_usd);
    const page = await fetch(`${server.url}/admin?token=${ADMIN_TOKEN}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/admin/stats');
    // The page's own requests authenticate with the cookie that visit set.
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${server.url}/admin/stats`, { headers: { cookie } })).status).toBe(200);
  });
});

describe('label cardinality under 1,000 sessions', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(testServerEnv({ JWT_SECRET: 'cardinality-secret-0123456789abcdefghij', MEMORY_TOP_K: '2' }), silentLogger());
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  it('a turn in each of 1,000 sessions adds no series: every label value comes from a fixed set', async () => {
    const { service, queue } = server.runtime;
    const storyId = (await service.listStories())[0]!.id;
    const ids = new Set<string>();
    const playAll = async (from: number, to: number) => {
      const sessions: string[] = [];
      for (let i = from; i < to; i += 25) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(25, to - i) }, async (_, k) => {
            const owner = `player-${(i + k) % 20}`;
            const { session } = await service.startSession(owner, storyId);
            ids.add(session.id).add(owner);
            const task = await service.submitAction({ ownerId: owner, sessionId: session.id, input: 'look around', action: 'do' });
            ids.add(task.taskId);
            return session.id;
          }),
        );
        sessions.push(...batch);
      }
      await eventually(async () => {
        const c = await queue.counts!();
        return c.waiting + c.active + c.delayed === 0 ? true : undefined;
      }, 120_000, 'the queue to drain');
      return sessions;
    };

    await playAll(0, 10);
    const early = await scrape(server.url);
    await playAll(10, 1000);
    const late = await scrape(server.url);

    expect(late.value('mock_drama_turns_total', { outcome: 'completed' })).toBe(1000);
    const series = (s: Scrape) => new Set(s.samples.filter((x) => x.name.startsWith('mock_drama_')).map((x) => `${x.name}${JSON.stringify(x.labels)}`));
    const grown = [...series(late)].filter((k) => !series(early).has(k));
    expect(grown, 'series that appeared between 10 and 1,000 sessions').toEqual([]);
    expect(series(late).size).toBeLessThan(1000);
    for (const sample of late.samples.filter((x) => x.name.startsWith('mock_drama_'))) {
      for (const [label, value] of Object.entries(sample.labels)) {
        expect(ids.has(value), `${sample.name} has an id as its ${label}`).toBe(false);
        if (label === 'le' || label === 'provider' || label === 'model') continue;
        expect(LABEL_VALUES[label], `${sample.name}: label ${label} has no fixed set`).toBeDefined();
        expect(LABEL_VALUES[label], `${sample.name}{${label}="${value}"}`).toContain(value);
      }
      if (sample.labels.provider !== undefined) expect(['offline', 'unknown']).toContain(sample.labels.provider);
    }
  }, 240_000);
});

// ---------------------------------------------------------------------------------------------

function startRedis(port: number, dir: string): void {
  const r = spawnSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', join(dir, 'redis.log')]);
  if (r.status !== 0) throw new Error(`redis-server failed: ${r.stderr}`);
}
const redisUp = (port: number) => spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() === 'PONG';

/** A TCP proxy to the shared PostgreSQL that the test can cut and restore (the server itself stays up for the other tests). */
class CuttableProxy {
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    readonly target: { host: string; port: number },
  ) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describe('readiness follows PostgreSQL and Redis (serve + work, private Redis, PostgreSQL behind a proxy)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-metrics-redis-'));
  const schema = `md_metrics_${randomBytes(5).toString('hex')}`;
  const target = new URL(TEST_PG_URL);
  let redisPort: number;
  let proxy: CuttableProxy;
  let web: RunningServer;
  let worker: RunningWorker;
  let workerUrl: string;

  beforeAll(async () => {
    redisPort = await freePort();
    startRedis(redisPort, dir);
    await eventually(() => (redisUp(redisPort) ? true : undefined), 10_000, 'private redis');
    proxy = new CuttableProxy(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    await proxy.up();
    const proxied = new URL(TEST_PG_URL);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const env = {
      DATABASE_URL: proxied.toString(),
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      JWT_SECRET: 'readiness-secret-readiness-secret-012345',
      STORIES_DIR: 'tests/fixtures',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
      SHUTDOWN_GRACE_MS: '1000',
      TURN_BACKOFF_MS: '100',
    };
    web = await startServer(loadEnv(env), silentLogger(), 'serve');
    const healthPort = await freePort();
    worker = await startWorker(loadEnv({ ...env, WORKER_HEALTH_PORT: String(healthPort) }), silentLogger());
    workerUrl = `http://127.0.0.1:${healthPort}`;
  }, 60_000);

  afterAll(async () => {
    await proxy?.up().catch(() => undefined);
    if (redisPort && !redisUp(redisPort)) startRedis(redisPort, dir);
    await Promise.allSettled([web?.shutdown(), worker?.shutdown()]);
    spawnSync('redis-cli', ['-p', String(redisPort), 'shutdown', 'nosave']);
    await proxy?.down();
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  }, 60_000);

  const status = async (url: string) => {
    const res = await fetch(`${url}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
  };
  const until = (url: string, code: number, what: string) => eventually(async () => ((await status(url)).status === code ? status(url) : undefined), 20_000, what);

  it('distributed metrics: the worker runs turns, the web server sees the bus and the pool', async () => {
    const guest = await api(web.url)('POST', '/api/auth/guest');
    const call = api(web.url, guest.body.token);
    const storyId = (await call('GET', '/api/stories')).body.stories[0].id;
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
    const [webBefore, workerBefore] = await Promise.all([scrape(web.url), scrape(workerUrl)]);
    const ws = await openEvents(`${web.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest.body.token}`);
    expect((await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' })).status).toBe(202);
    await ws.until((e) => e.type === 'turn.completed', 20_000);
    ws.close();
    // turn.completed goes out before the worker's handler returns and records the turn.
    const workerAfter = await eventually(async () => {
      const m = await scrape(workerUrl);
      return m.value('mock_drama_turns_in_progress') === 0 && moved(workerBefore, m)('mock_drama_turns_total') > 0 ? m : undefined;
    });
    const webAfter = await scrape(web.url);
    expect(moved(workerBefore, workerAfter)('mock_drama_turns_total', { outcome: 'completed' })).toBe(1);
    expect(moved(workerBefore, workerAfter)('mock_drama_model_calls_total', { role: 'narrator', outcome: 'ok' })).toBe(1);
    expect(moved(webBefore, webAfter)('mock_drama_turns_total')).toBe(0);
    // At most one event per 10 ms is timed (DELIVERY_SAMPLE_MS): a turn's events come in bursts.
    expect(moved(webBefore, webAfter)('mock_drama_event_bus_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(workerAfter.value('mock_drama_worker_concurrency')).toBe(loadEnv({}).WORKER_CONCURRENCY);
    expect(webAfter.has('mock_drama_worker_concurrency')).toBe(true);
    expect(webAfter.value('mock_drama_worker_concurrency')).toBe(0);
    for (const s of [webAfter, workerAfter]) {
      // Several processes write to PostgreSQL: no session cache.
      expect(s.has('mock_drama_session_cache_reads_total', { result: 'miss' })).toBe(false);
      expect(s.has('mock_drama_queue_depth', { state: 'waiting' })).toBe(true);
      expect(s.has('mock_drama_db_pool_connections', { state: 'idle' })).toBe(true);
      expect(s.value('mock_drama_db_pool_max_connections')).toBe(4);
    }
  }, 60_000);

  it('/readyz turns 503 while Redis is away and 200 once it is back; /metrics keeps answering', async () => {
    expect((await status(web.url)).status).toBe(200);
    expect((await status(workerUrl)).status).toBe(200);
    spawnSync('redis-cli', ['-p', String(redisPort), 'shutdown', 'nosave']);
    await eventually(() => (redisUp(redisPort) ? undefined : true), 5000, 'redis to stop');
    const down = await until(web.url, 503, 'web /readyz 503');
    expect(down.body).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/^redis:/) });
    expect((await until(workerUrl, 503, 'worker /readyz 503')).body.reason).toMatch(/^redis:/);
    // Liveness is not readiness, and a scrape does not hang on the missing queue.
    expect((await fetch(`${web.url}/healthz`)).status).toBe(200);
    const started = Date.now();
    const s = await scrape(web.url);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(s.has('mock_drama_queue_depth')).toBe(false);
    startRedis(redisPort, dir);
    await until(web.url, 200, 'web /readyz 200 after Redis returns');
    await until(workerUrl, 200, 'worker /readyz 200 after Redis returns');
  }, 60_000);

  it('/readyz turns 503 while PostgreSQL is unreachable and 200 once it is back', async () => {
    await proxy.down();
    const down = await until(web.url, 503, 'web /readyz 503');
    expect(down.body.reason).toMatch(/^database:/);
    expect((await until(workerUrl, 503, 'worker /readyz 503')).body.reason).toMatch(/^database:/);
    await proxy.up();
    await until(web.url, 200, 'web /readyz 200 after PostgreSQL returns');
    await until(workerUrl, 200, 'worker /readyz 200 after PostgreSQL returns');
  }, 60_000);

  it('/readyz refuses traffic while draining', async () => {
    const drained = startServer(
      testServerEnv({ JWT_SECRET: 'drain-secret-drain-secret-0123456789ab' }),
      silentLogger(),
    );
    const s = await drained;
    expect((await status(s.url)).status).toBe(200);
    const stopping = s.shutdown();
    // The drain flag is set synchronously, before the listener closes.
    const res = await fetch(`${s.url}/readyz`).catch(() => null);
    if (res) expect(res.status).toBe(503);
    await stopping;
  });
});
