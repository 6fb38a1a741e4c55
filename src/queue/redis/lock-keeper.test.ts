import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logger.js';
import { jobHandlers, makeJob, waitForState } from '../turn-queue.contract.js';
import { BullMqTurnQueue } from './bullmq-turn-queue.js';
import { BullMqTurnWorker } from './bullmq-turn-worker.js';
import { createRedis } from './redis-connection.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LOCK_MS = 1000;
const TURNS = 8;

/** Stand-in for a saturated machine: the worker's main thread does not return to its event loop for `ms`. */
function hogMainThread(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

/**
 * Runs TURNS turns on one worker while busy-loop neighbours take every core and, once every turn
 * has started, the worker's main thread stalls for three lock periods (what a saturated loop
 * does to BullMQ's timers). Counts how often each turn ran, and then enqueues each session's next
 * action at once, as a client does on `turn.completed`.
 */
async function saturatedRun(lockKeeper: boolean) {
  const prefix = `mdtest:${randomBytes(4).toString('hex')}`;
  const connections: ReturnType<typeof createRedis>[] = [];
  const connect = (name: string) => {
    const c = createRedis(REDIS_URL, silentLogger(), name);
    connections.push(c);
    return c;
  };
  const retry = { attempts: 3, backoffMs: 10 };
  const queue = new BullMqTurnQueue({ redis: connect('producer'), logger: silentLogger(), prefix, retry });
  const worker = new BullMqTurnWorker({
    redis: connect('worker-commands'),
    connect,
    logger: silentLogger(),
    prefix,
    retry,
    concurrency: TURNS,
    lockMs: LOCK_MS,
    stalledIntervalMs: 300,
    ...(lockKeeper ? { lockKeeperUrl: REDIS_URL } : {}),
  });
  const runs = new Map<string, number>();
  const retried: string[] = [];
  let started = 0;
  let allStarted!: () => void;
  const everyoneIn = new Promise<void>((r) => (allStarted = r));
  let hogged = false;
  worker.start(
    jobHandlers(async (job) => {
      runs.set(job.taskId, (runs.get(job.taskId) ?? 0) + 1);
      if (++started === TURNS) allStarted();
      await everyoneIn;
      if (!hogged) {
        hogged = true;
        hogMainThread(LOCK_MS * 3);
      }
      await new Promise((r) => setTimeout(r, LOCK_MS));
      return { sessionId: job.sessionId, turnNo: 1, taskId: job.taskId } as never;
    }, { retrying: async (job, error) => void retried.push(`${job.taskId}:${error.code}`) }),
  );
  const jobs = Array.from({ length: TURNS }, (_, i) => makeJob(`${prefix}-s${i}`));
  for (const job of jobs) await queue.enqueue(job);
  const finals = await Promise.all(jobs.map((j) => waitForState(queue, j.taskId, ['completed', 'failed'], 30_000)));
  // What a player does on turn.completed: the next action, at once. 409 here would be spurious.
  const next = await Promise.allSettled(jobs.map((j) => queue.enqueue(makeJob(j.sessionId, 'next'))));
  await worker.close({ graceMs: 5000 });
  await queue.close();
  for (const c of connections) c.disconnect();
  return {
    states: finals.map((s) => s.state),
    reruns: [...runs.values()].reduce((n, r) => n + r - 1, 0),
    retried,
    refused: next.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason?.code),
  };
}

describe('turn locks under a saturated CPU', () => {
  const neighbours: ChildProcess[] = [];
  beforeAll(() => {
    // Busy-loop neighbours, one per core: the worker's threads compete for CPU with them.
    for (let i = 0; i < 2; i++) neighbours.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  });
  afterAll(() => {
    for (const n of neighbours) n.kill('SIGKILL');
  });

  it('with the lock keeper thread: every turn runs once, none is taken as stalled, the next action is accepted', async () => {
    const run = await saturatedRun(true);
    expect(run.states).toEqual(Array(TURNS).fill('completed'));
    expect(run.reruns).toBe(0);
    expect(run.retried).toEqual([]);
    expect(run.refused).toEqual([]);
  }, 60_000);

  it('control: with BullMQ renewing on the stalled main loop, the same run loses locks and re-runs turns', async () => {
    const run = await saturatedRun(false);
    expect(run.reruns + run.retried.length).toBeGreaterThan(0);
  }, 60_000);
});
