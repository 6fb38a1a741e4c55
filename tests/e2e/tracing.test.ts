/**
 * OpenTelemetry traces end to end, into an OTLP/HTTP collector written here: one trace per turn,
 * from the HTTP request through the queue to every pipeline stage and each model call, correctly
 * parented — in one process, and across a web process and a worker on Redis and PostgreSQL. The
 * trace id is the turn record's `trace_id` and appears in the log lines of the turn. Without an
 * endpoint there is no tracing at all.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/shared/log.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { createLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { Cluster } from '../support/cluster.js';
import { startOtlpCollector, traceOf, type CollectedSpan, type OtlpCollector } from '../support/otlp-collector.js';
import { eventually, testServerEnv } from '../support/test-env.js';

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;
const STAGES = ['turn.load', 'turn.narrate', 'turn.judge', 'turn.apply', 'turn.commit', 'turn.publish'];

/** A logger whose JSON lines the test can read. */
function capturedLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      raw.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', { role: 'all' }, sink), lines: () => raw.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Start a session, act once, and wait for the turn to complete; the task id and the committed turn. */
async function playOneTurn(base: string, headers: Record<string, string> = {}) {
  const token = (await api(base)('POST', '/api/auth/guest')).body.token as string;
  const call = api(base, token);
  const storyId = (await call('GET', '/api/stories')).body.stories[0].id as string;
  const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
  const accepted = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the old brass lamp' }, headers);
  expect(accepted.status).toBe(202);
  const taskId = accepted.body.task_id as string;
  const status = await eventually(async () => {
    const res = await call('GET', `/api/story/status/${taskId}`);
    return res.body.status === 'completed' || res.body.status === 'failed' ? res.body : undefined;
  }, 30_000, 'the turn to complete');
  expect(status.status).toBe('completed');
  const turns = (await call('GET', `/api/sessions/${sessionId}/turns`)).body.turns as { turn_no: number; task_id: string; trace_id: string | null }[];
  return { taskId, sessionId, status, turn: turns.find((t) => t.task_id === taskId)! };
}

/** Every span of the turn's task (they all carry its id) belongs to one trace. */
function tracesOfTask(spans: CollectedSpan[], taskId: string): Set<string> {
  return new Set(spans.filter((s) => s.attributes['messaging.message.id'] === taskId).map((s) => s.traceId));
}

describe('tracing in one process', () => {
  let collector: OtlpCollector;
  let server: RunningServer;
  const log = capturedLogger();

  beforeAll(async () => {
    collector = await startOtlpCollector();
    server = await startServer(testServerEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, LOG_LEVEL: 'info' }), log.logger);
  });
  afterAll(async () => {
    await server?.shutdown();
    await collector?.close();
  });

  it('one trace per turn: HTTP request → enqueue → turn → stages → model calls, the trace id on the turn and in the log', async () => {
    expect(server.runtime.tracing.enabled).toBe(true);
    const { taskId, status, turn } = await playOneTurn(server.url);
    await server.runtime.tracing.flush();
    expect(collector.requests.every((r) => r.contentType?.startsWith('application/json'))).toBe(true);

    const traceId = turn.trace_id!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(status.result.trace_id).toBe(traceId);
    expect([...tracesOfTask(collector.spans, taskId)]).toEqual([traceId]);

    const t = traceOf(collector.spans, traceId);
    const request = t.one('POST /api/story/action');
    expect(request.kind).toBe(SERVER);
    expect(request.parentSpanId).toBe('');
    expect(request.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/api/story/action', 'http.response.status_code': 202, 'url.path': '/api/story/action' });
    expect(request.resource).toMatchObject({ 'service.name': 'mock-drama', 'mock_drama.role': 'all' });

    const enqueue = t.one('turn.enqueue');
    expect(enqueue.kind).toBe(PRODUCER);
    expect(t.parentOf(enqueue)).toBe(request);
    const queued = t.one('turn.queued');
    expect(t.parentOf(queued)).toBe(enqueue);
    const turnSpan = t.one('turn');
    expect(turnSpan.kind).toBe(CONSUMER);
    expect(t.parentOf(turnSpan)).toBe(enqueue);
    expect(turnSpan.attributes).toMatchObject({ 'messaging.system': 'in-process', 'mock_drama.turn.attempt': 1, 'mock_drama.turn.no': 1 });
    expect(typeof turnSpan.attributes['mock_drama.queue.wait_ms']).toBe('number');

    for (const name of STAGES) expect(t.parentOf(t.one(name)), name).toBe(turnSpan);
    expect(t.one('turn.commit').attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.operation.name': 'commit_turn' });
    // Stages run in order, inside the turn.
    const starts = STAGES.map((name) => t.one(name).startNs);
    expect([...starts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(starts);
    // The SDK stamps a span's start with Date.now() (whole milliseconds) and its end as that start
    // plus a performance.now() duration, so a child that ends just before its parent can be stamped
    // up to 1 ms after it (@opentelemetry/sdk-trace Span#_getTime). Starts keep their order.
    const ONE_MS = 1_000_000n;
    expect(turnSpan.startNs <= starts[0]!).toBe(true);
    expect(t.one('turn.publish').endNs <= turnSpan.endNs + ONE_MS).toBe(true);

    // The AI SDK's spans, under the stage that made the call.
    const narration = t.one('ai.streamText');
    expect(t.parentOf(narration)?.name).toBe('turn.narrate');
    expect(narration.attributes['ai.telemetry.functionId']).toBe('narrator');
    expect(t.parentOf(t.one('ai.streamText.doStream'))).toBe(narration);
    const judging = t.named('ai.generateText');
    expect(judging.length).toBeGreaterThanOrEqual(1);
    for (const span of judging) expect(t.parentOf(span)?.name).toBe('turn.judge');
    expect(judging[0]!.attributes['ai.telemetry.functionId']).toBe('judge');
    // Prompts and answers stay out of the spans.
    for (const span of t.spans) expect(Object.keys(span.attributes).filter((k) => /prompt|response\.text|response\.object/.test(k)), span.name).toEqual([]);

    // The log lines of the turn carry its trace id.
    const completed = log.lines().find((l) => l.msg === 'turn completed' && l.taskId === taskId);
    expect(completed?.trace_id).toBe(traceId);
    expect(completed?.span_id).toBe(turnSpan.spanId);
  });

  it('a request that fails is a span with its status; probes and scrapes are not traced', async () => {
    const before = collector.spans.length;
    const res = await api(server.url)('GET', '/api/story/status/nope');
    expect(res.status).toBe(401);
    await api(server.url)('GET', '/healthz');
    await server.runtime.tracing.flush();
    const fresh = collector.spans.slice(before);
    expect(fresh.map((s) => s.name)).toEqual(['GET /api/story/status/:task_id']);
    expect(fresh[0]!.attributes['http.response.status_code']).toBe(401);
    // A 4xx is the client's error, not the server's.
    expect(fresh[0]!.status).toBe(0);
  });
});

describe('tracing off (no OTLP endpoint)', () => {
  it('exports nothing, records no trace id, and logs none', async () => {
    const collector = await startOtlpCollector();
    const log = capturedLogger();
    const server = await startServer(testServerEnv({ LOG_LEVEL: 'info' }), log.logger);
    try {
      expect(server.runtime.tracing.enabled).toBe(false);
      expect(server.runtime.deps.tracer).toBeUndefined();
      const { taskId, status, turn } = await playOneTurn(server.url);
      expect(turn.trace_id).toBeNull();
      expect(status.result.trace_id).toBeNull();
      const lines = log.lines().filter((l) => l.taskId === taskId);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line.trace_id).toBeUndefined();
    } finally {
      await server.shutdown();
    }
    expect(collector.requests).toEqual([]);
    await collector.close();
  });
});

describe('tracing across a web process and a worker (Redis, PostgreSQL)', () => {
  let collector: OtlpCollector;
  let cluster: Cluster;
  let webUrl: string;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    cluster = new Cluster({ webs: 1, workers: 1, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' } });
    // Straight to the web process: no load balancer is needed to cross the process boundary.
    const [web] = await Promise.all([cluster.addWeb('web1'), cluster.addWorker('worker1')]);
    webUrl = `http://127.0.0.1:${web.port}`;
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    await collector?.close();
  }, 60_000);

  it("continues the caller's trace; the worker's turn span is a child of the web process's enqueue span", async () => {
    const callerTrace = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const { taskId, status, turn } = await playOneTurn(webUrl, { traceparent: `00-${callerTrace}-${callerSpan}-01` });
    expect(turn.trace_id).toBe(callerTrace);
    expect(status.result.trace_id).toBe(callerTrace);

    const t = await eventually(() => {
      const found = traceOf(collector.spans, callerTrace);
      return found.named('turn.publish').length === 1 && found.named('POST /api/story/action').length === 1 ? found : undefined;
    }, 15_000, 'the spans of both processes');
    expect([...tracesOfTask(collector.spans, taskId)]).toEqual([callerTrace]);

    const request = t.one('POST /api/story/action');
    expect(request.parentSpanId).toBe(callerSpan);
    const enqueue = t.one('turn.enqueue');
    expect(t.parentOf(enqueue)).toBe(request);
    const turnSpan = t.one('turn');
    expect(t.parentOf(turnSpan)).toBe(enqueue);
    expect(turnSpan.attributes['messaging.system']).toBe('bullmq');
    // Two processes: the web span and the worker span name different instances and roles.
    expect(request.resource['mock_drama.role']).toBe('serve');
    expect(turnSpan.resource['mock_drama.role']).toBe('work');
    expect(turnSpan.resource['service.instance.id']).not.toBe(request.resource['service.instance.id']);
    for (const name of STAGES) {
      expect(t.parentOf(t.one(name)), name).toBe(turnSpan);
      expect(t.one(name).resource['mock_drama.role']).toBe('work');
    }
    expect(t.parentOf(t.one('ai.streamText'))?.name).toBe('turn.narrate');
    for (const span of t.named('ai.generateText')) expect(t.parentOf(span)?.name).toBe('turn.judge');

    const worker = cluster.workers[0]!;
    const line = worker
      .log()
      .split('\n')
      .filter((l) => l.includes(taskId) && l.includes('turn completed'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)[0];
    expect(line?.trace_id).toBe(callerTrace);
  }, 60_000);
});
