/**
 * CPU of the distributed event bus's publish path alone, in a fresh process: S sessions each
 * publish a turn's events T times over, as a worker does, on a real Redis: turn.started, then
 * `--tokens` narration tokens `--token-ms` apart through the worker's DeltaCoalescer (window
 * `--window` ms, NARRATION_FLUSH_MS), then turn.decision and turn.completed. Prints this process's CPU and
 * redis-server's (from /proc) per event, so a change to how events reach Redis (auto-pipelining,
 * the script, the payload) can be measured without the rest of a turn's noise.
 * `npx tsx bench/tools/publish-cpu.ts --sessions 100 --turns 3`
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { DeltaCoalescer } from '../../src/domain/delta-coalescer.js';
import type { TurnEventBody } from '../../src/domain/ports/event-bus.js';
import { RedisEventBus } from '../../src/queue/redis/redis-event-bus.js';
import { silentLogger } from '../../src/shared/logger.js';
import { countRedisCalls } from '../../tests/support/redis-calls.js';
import { num, parseFlags, str } from '../lib/args.js';
import { cpuSecondsOf, pidsNamed } from '../lib/proc.js';

const usage = 'npx tsx bench/tools/publish-cpu.ts [--sessions 100] [--turns 3] [--tokens 30] [--token-ms 10] [--window 50] [--redis-url redis://127.0.0.1:6379/8] [--auto-pipelining]';
const flags = parseFlags(process.argv.slice(2), { sessions: 'value', turns: 'value', tokens: 'value', 'token-ms': 'value', window: 'value', 'redis-url': 'value', 'auto-pipelining': 'switch' }, usage);
const sessions = num(flags, 'sessions', 100);
const turns = num(flags, 'turns', 3);
const tokens = num(flags, 'tokens', 30);
const tokenMs = num(flags, 'token-ms', 10);
const windowMs = num(flags, 'window', 50);
const url = str(flags, 'redis-url', 'redis://127.0.0.1:6379/8');
const autoPipelining = flags.has('auto-pipelining');

const redis = new Redis(url, { enableAutoPipelining: autoPipelining, maxRetriesPerRequest: null });
const subscriber = new Redis(url);
const redisCalls = countRedisCalls(redis);
const prefix = `mdpub${process.pid}`;
const bus = new RedisEventBus({ redis, subscriber, logger: silentLogger(), prefix });

/** CPU of every redis-server process, in ms. */
const redisCpuMs = (): number => cpuSecondsOf(pidsNamed('redis-server')) * 1000;

const result = { sessionId: '', turnNo: 1, taskId: 't', input: 'I light the lamp', action: 'do', response: 'The lamp flares. '.repeat(30), decision: { choiceIndex: null, variableUpdates: [], memories: [], summary: 'lit the lamp' }, updated_state: { text: 'A dark room. '.repeat(20), tags: [], choices: [{ index: 0, text: 'Go north' }, { index: 1, text: 'Wait' }], ended: false, variables: { lamp: true } }, timings: { load: 1, narrate: 490, judge: 490, apply: 1, embed: 0, commit: 2, total: 985 }, createdAt: new Date().toISOString() };

async function playTurn(sessionId: string, turnNo: number): Promise<number> {
  const published: Promise<unknown>[] = [];
  const at = (body: TurnEventBody) => published.push(bus.publish({ ...body, sessionId, taskId: `${sessionId}-${turnNo}`, turnNo }));
  at({ type: 'turn.started', input: 'I light the lamp', action: 'do', attempt: 1 });
  const deltas = new DeltaCoalescer(windowMs, (text) => at({ type: 'narration.delta', text }));
  for (let i = 0; i < tokens; i++) {
    await sleep(tokenMs);
    deltas.push(' flares,');
  }
  deltas.flush();
  at({ type: 'turn.decision', decision: result.decision });
  await Promise.all(published);
  at({ type: 'turn.completed', result: { ...result, sessionId, turnNo, taskId: `${sessionId}-${turnNo}` } as never });
  await Promise.all(published);
  return published.length;
}

redisCalls.reset();
const cpu0 = process.cpuUsage();
const redis0 = redisCpuMs();
const counts = await Promise.all(
  Array.from({ length: sessions }, async (_, s) => {
    await sleep(Math.random() * 1000);
    let n = 0;
    for (let t = 1; t <= turns; t++) n += await playTurn(`s${s}`, t);
    return n;
  }),
);
const used = process.cpuUsage(cpu0);
const calls = redisCalls.calls;
const redisMs = redisCpuMs() - redis0;
const events = counts.reduce((a, b) => a + b, 0);
const keys = await redis.keys(`${prefix}:*`);
if (keys.length) await redis.del(...keys);
redis.disconnect();
subscriber.disconnect();
console.log(JSON.stringify({ autoPipelining, sessions, turns, events, eventsPerTurn: +(events / sessions / turns).toFixed(1), redisCallsPerTurn: +(calls / sessions / turns).toFixed(1), processCpuUsPerEvent: +((used.user + used.system) / events).toFixed(1), redisCpuUsPerEvent: +((redisMs * 1000) / events).toFixed(1), processCpuUsPerTurn: Math.round((used.user + used.system) / (sessions * turns)), redisCpuUsPerTurn: Math.round((redisMs * 1000) / (sessions * turns)) }));
