import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logger.js';
import { jobHandlers, makeJob, runTurnQueueContract, waitForState } from '../turn-queue.contract.js';
import { activeKey } from './bullmq-shared.js';
import { BullMqTurnQueue, DEFAULT_ACTIVE_TTL_MS } from './bullmq-turn-queue.js';
import { BullMqTurnWorker } from './bullmq-turn-worker.js';
import { createRedis } from './redis-connection.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A producer and a worker on one prefix, as a web and a worker process would have them. */
function create(opts: { concurrency: number; attempts: number; backoffMs: number }, prefix = `mdtest:${randomBytes(4).toString('hex')}`) {
  const connections: ReturnType<typeof createRedis>[] = [];
  const connect = (name: string) => {
    const c = createRedis(REDIS_URL, silentLogger(), name);
    connections.push(c);
    return c;
  };
  const retry = { attempts: opts.attempts, backoffMs: opts.backoffMs };
  const queue = new BullMqTurnQueue({ redis: connect('producer'), logger: silentLogger(), prefix, retry });
  const worker = new BullMqTurnWorker({ redis: connect('worker-commands'), connect, logger: silentLogger(), prefix, retry, concurrency: opts.concurrency, lockMs: 2000, stalledIntervalMs: 1000 });
  return {
    queue,
    worker,
    start: (run: Parameters<typeof jobHandlers>[0], hooks?: Parameters<typeof jobHandlers>[1]) => worker.start(jobHandlers(run, hooks)),
    async close(o: { graceMs?: number } = {}) {
      await worker.close(o);
      await queue.close();
      for (const c of connections) c.disconnect();
    },
  };
}

runTurnQueueContract('BullMqTurnQueue', async (opts) => create(opts));

describe('BullMqTurnQueue across processes', () => {
  it('refuses a second turn for a session enqueued through another producer (cluster-wide)', async () => {
    const prefix = `mdtest:${randomBytes(4).toString('hex')}`;
    const webA = create({ concurrency: 1, attempts: 1, backoffMs: 10 }, prefix);
    const webB = create({ concurrency: 1, attempts: 1, backoffMs: 10 }, prefix);
    const first = makeJob('s-x');
    await webA.queue.enqueue(first);
    await expect(webB.queue.enqueue(makeJob('s-x'))).rejects.toMatchObject({ code: 'turn_in_progress' });
    // The same task through the other server (a retried POST behind a load balancer) is fine.
    await expect(webB.queue.enqueue(first)).resolves.toMatchObject({ taskId: first.taskId });
    const worker = create({ concurrency: 1, attempts: 1, backoffMs: 10 }, prefix);
    worker.start(async (job) => ({ sessionId: job.sessionId }) as never);
    await waitForState(webB.queue, first.taskId, ['completed']);
    await expect(webB.queue.enqueue(makeJob('s-x'))).resolves.toMatchObject({ state: 'queued' });
    await Promise.all([webA.close(), webB.close(), worker.close({ graceMs: 2000 })]);
  });

  it("a session taken by another request that is still adding its job is busy; the same task's own key is its; a key whose job never came is freed once old", async () => {
    const prefix = `mdtest:${randomBytes(4).toString('hex')}`;
    const web = create({ concurrency: 1, attempts: 1, backoffMs: 10 }, prefix);
    const redis = createRedis(REDIS_URL, silentLogger(), 'test-keys');
    // What SessionHeads.claim leaves before its request adds the job (a budget check between).
    await redis.set(activeKey(prefix, 's-young'), 'adding', 'PX', DEFAULT_ACTIVE_TTL_MS);
    await expect(web.queue.enqueue(makeJob('s-young'))).rejects.toMatchObject({ code: 'turn_in_progress', details: { task_id: 'adding' } });
    expect(await redis.get(activeKey(prefix, 's-young'))).toBe('adding');
    // The same task again (a retried request whose first try took the key, then lost Redis before
    // adding its job): its own key, so the job is added.
    const retried = makeJob('s-retried');
    await redis.set(activeKey(prefix, 's-retried'), retried.taskId, 'PX', DEFAULT_ACTIVE_TTL_MS);
    await expect(web.queue.enqueue(retried)).resolves.toMatchObject({ taskId: retried.taskId, state: 'queued' });
    expect(await web.queue.getStatus(retried.taskId)).toMatchObject({ state: 'queued' });
    // A request that died between taking the key and adding its job: older than the grace.
    await redis.set(activeKey(prefix, 's-orphan'), 'died', 'PX', DEFAULT_ACTIVE_TTL_MS - 60_000);
    const next = makeJob('s-orphan');
    await expect(web.queue.enqueue(next)).resolves.toMatchObject({ state: 'queued' });
    expect(await redis.get(activeKey(prefix, 's-orphan'))).toBe(next.taskId);
    redis.disconnect();
    await web.close();
  });

  it('a cancel sent through another process (a web server) aborts the turn running on this worker', async () => {
    const prefix = `mdtest:${randomBytes(4).toString('hex')}`;
    const worker = create({ concurrency: 2, attempts: 3, backoffMs: 10 }, prefix);
    const web = create({ concurrency: 1, attempts: 3, backoffMs: 10 }, prefix);
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let reason: unknown;
    const failed: string[] = [];
    let announced!: () => void;
    const failedOnce = new Promise<void>((r) => (announced = r));
    worker.start(
      async (j, ctx) => {
        if (j.input === 'again') return { sessionId: j.sessionId } as never;
        started();
        await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject((reason = ctx.signal.reason))));
        throw new Error('unreachable');
      },
      { failed: async (job, err) => void (failed.push(`${job.taskId}:${err.code}`), announced()) },
    );
    const job = makeJob('s-remote-cancel');
    await web.queue.enqueue(job);
    await running;
    const status = await web.queue.cancel('s-remote-cancel');
    expect(status).toMatchObject({ taskId: job.taskId, state: 'failed', error: { code: 'cancelled' } });
    expect(reason).toMatchObject({ code: 'cancelled' });
    await failedOnce;
    expect(failed).toEqual([`${job.taskId}:cancelled`]);
    const next = makeJob('s-remote-cancel', 'again');
    await expect(web.queue.enqueue(next)).resolves.toMatchObject({ state: 'queued' });
    await waitForState(web.queue, next.taskId, ['completed']);
    await Promise.all([web.close(), worker.close({ graceMs: 2000 })]);
  });

  it('a job cancelled before any worker took it fails when one does, without running', async () => {
    const prefix = `mdtest:${randomBytes(4).toString('hex')}`;
    const web = create({ concurrency: 1, attempts: 3, backoffMs: 10 }, prefix);
    const job = makeJob('s-early-cancel');
    await web.queue.enqueue(job);
    const cancelling = web.queue.cancel('s-early-cancel');
    // The cancel is recorded before a worker exists (no publish can reach one): the key must do.
    const redis = createRedis(REDIS_URL, silentLogger(), 'probe');
    const deadline = Date.now() + 5000;
    while ((await redis.exists(`${prefix}:cancel:{${job.taskId}}`)) === 0) {
      if (Date.now() > deadline) throw new Error('the cancel was never recorded');
      await new Promise((r) => setTimeout(r, 10));
    }
    redis.disconnect();
    const worker = create({ concurrency: 1, attempts: 3, backoffMs: 10 }, prefix);
    const ran: string[] = [];
    worker.start(async (j) => {
      ran.push(j.taskId);
      return { sessionId: j.sessionId } as never;
    });
    expect(await cancelling).toMatchObject({ taskId: job.taskId, state: 'failed', error: { code: 'cancelled' } });
    expect(ran).toEqual([]);
    await Promise.all([web.close(), worker.close({ graceMs: 2000 })]);
  });

  it('a worker closing past its grace period hands its running turn back without using an attempt', async () => {
    const prefix = `mdtest:${randomBytes(4).toString('hex')}`;
    const leaving = create({ concurrency: 1, attempts: 1, backoffMs: 10 }, prefix);
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    leaving.start(async (_job, ctx) => {
      started();
      // A slow model call that only ends when the worker aborts it.
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      throw new Error('unreachable');
    });
    const job = makeJob('s-handback');
    await leaving.queue.enqueue(job);
    await running;
    await leaving.close({ graceMs: 100 });
    const taker = create({ concurrency: 1, attempts: 1, backoffMs: 10 }, prefix);
    const attempts: number[] = [];
    taker.start(async (j, ctx) => {
      attempts.push(ctx.attempt);
      return { sessionId: j.sessionId, response: 'finished elsewhere' } as never;
    });
    const done = await waitForState(taker.queue, job.taskId, ['completed', 'failed']);
    expect(done.state).toBe('completed');
    expect(attempts).toEqual([1]);
    await taker.close({ graceMs: 1000 });
  });
});
