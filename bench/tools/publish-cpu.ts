/**
 * CPU of the distributed event bus's publish path alone, in a fresh process: S sessions each
 * publish a turn's events (turn.started, D narration deltas `--interval` ms apart, turn.decision,
 * turn.completed) T times over, as a worker does, on a real Redis. Prints this process's CPU and
 * redis-server's (from /proc) per event, so a change to how events reach Redis (auto-pipelining,
 * the script, the payload) can be measured without the rest of a turn's noise.
 * `npx tsx bench/tools/publish-cpu.ts --sessions 100 --turns 3 [--no-auto-pipelining]`
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { TurnEventBody } from '../../src/domain/ports/event-bus.js';
import { RedisEventBus } from '../../src/queue/redis/redis-event-bus.js';
import { silentLogger } from '../../src/shared/logger.js';
import { num, parseFlags, str } from '../lib/args.js';

const usage = 'npx tsx bench/tools/publish-cpu.ts [--sessions 100] [--turns 3] [--deltas 8] [--interval 50] [--redis-url redis://127.0.0.1:6379/8] [--no-auto-pipelining]';
const flags = parseFlags(process.argv.slice(2), { sessions: 'value', turns: 'value', deltas: 'value', interval: 'value', 'redis-url': 'value', 'no-auto-pipelining': 'switch' }, usage);
const sessions = num(flags, 'sessions', 100);
const turns = num(flags, 'turns', 3);
const deltas = num(flags, 'deltas', 8);
const intervalMs = num(flags, 'interval', 50);
const url = str(flags, 'redis-url', 'redis://127.0.0.1:6379/8');
const autoPipelining = !flags.has('no-auto-pipelining');

const redis = new Redis(url, { enableAutoPipelining: autoPipelining, maxRetriesPerRequest: null });
const subscriber = new Redis(url);
const prefix = `mdpub${process.pid}`;
const bus = new RedisEventBus({ redis, subscriber, logger: silentLogger(), prefix });

/** CPU jiffies of every redis-server process, in ms. */
function redisCpuMs(): number {
  const pids = execFileSync('pgrep', ['-x', 'redis-server']).toString().trim().split('\n');
  const tick = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString());
  return pids.reduce((sum, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) * tick;
  }, 0);
}

const result = { sessionId: '', turnNo: 1, taskId: 't', input: 'I light the lamp', action: 'do', response: 'The lamp flares. '.repeat(30), decision: { choiceIndex: null, variableUpdates: [], memories: [], summary: 'lit the lamp' }, updated_state: { text: 'A dark room. '.repeat(20), tags: [], choices: [{ index: 0, text: 'Go north' }, { index: 1, text: 'Wait' }], ended: false, variables: { lamp: true } }, timings: { load: 1, narrate: 490, judge: 490, apply: 1, embed: 0, commit: 2, total: 985 }, createdAt: new Date().toISOString() };

async function playTurn(sessionId: string, turnNo: number): Promise<number> {
  const at = (body: TurnEventBody) => bus.publish({ ...body, sessionId, taskId: `${sessionId}-${turnNo}`, turnNo });
  await at({ type: 'turn.started', input: 'I light the lamp', action: 'do', attempt: 1 });
  for (let i = 0; i < deltas; i++) {
    await at({ type: 'narration.delta', text: ' the lamp flares,' });
    await sleep(intervalMs * (0.5 + Math.random()));
  }
  await at({ type: 'turn.decision', decision: result.decision });
  await at({ type: 'turn.completed', result: { ...result, sessionId, turnNo, taskId: `${sessionId}-${turnNo}` } as never });
  return deltas + 3;
}

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
const redisMs = redisCpuMs() - redis0;
const events = counts.reduce((a, b) => a + b, 0);
const keys = await redis.keys(`${prefix}:*`);
if (keys.length) await redis.del(...keys);
redis.disconnect();
subscriber.disconnect();
console.log(JSON.stringify({ autoPipelining, sessions, turns, events, processCpuUsPerEvent: +((used.user + used.system) / events).toFixed(1), redisCpuUsPerEvent: +((redisMs * 1000) / events).toFixed(1) }));
