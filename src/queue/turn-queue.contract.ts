/**
 * The behaviour every TurnQueue must have; each implementation's test runs this suite.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { DramaError } from '../domain/errors.js';
import type { JobContext, TaskError, TaskStatus, TurnJob, TurnQueue } from '../domain/ports/turn-queue.js';
import type { TurnWorker } from '../domain/ports/turn-worker.js';
import type { CommittedTurn, TurnJobHandlers } from '../domain/turn-job.js';
import type { TurnResult } from '../domain/types.js';

/** A queue's two sides as a test drives them (one object for the in-process queue). */
export interface QueueUnderTest {
  queue: TurnQueue;
  worker: TurnWorker;
  /** Start the worker on a job whose `run` is `run` (a plain result is committed and announced at once). */
  start(run: (job: TurnJob, ctx: JobContext) => Promise<TurnResult | CommittedTurn>, hooks?: Partial<Pick<TurnJobHandlers, 'retrying' | 'failed'>>): void;
  close(opts?: { graceMs?: number }): Promise<void>;
}

export type QueueFactory = (opts: { concurrency: number; attempts: number; backoffMs: number }) => Promise<{ queue: TurnQueue; worker: TurnWorker; close?: () => Promise<void> }>;

/** Handlers from a plain run function (what the tests write) and optional hooks. */
export function jobHandlers(run: (job: TurnJob, ctx: JobContext) => Promise<TurnResult | CommittedTurn>, hooks: Partial<Pick<TurnJobHandlers, 'retrying' | 'failed'>> = {}): TurnJobHandlers {
  return {
    async run(job, ctx) {
      const out = await run(job, ctx);
      return 'announce' in out ? out : { result: out, announce: async () => undefined };
    },
    retrying: async (job: TurnJob, error: TaskError, attempt: number, delayMs: number) => hooks.retrying?.(job, error, attempt, delayMs),
    failed: async (job: TurnJob, error: TaskError, attempts: number) => hooks.failed?.(job, error, attempts),
  };
}

async function underTest(create: QueueFactory, opts: { concurrency: number; attempts: number; backoffMs: number }): Promise<QueueUnderTest> {
  const made = await create(opts);
  return {
    queue: made.queue,
    worker: made.worker,
    start: (run, hooks) => made.worker.start(jobHandlers(run, hooks)),
    async close(o) {
      await made.worker.close(o);
      await made.queue.close();
      await made.close?.();
    },
  };
}

let seq = 0;
export function makeJob(sessionId: string, input = 'look around'): TurnJob {
  seq += 1;
  return { taskId: `task-${process.pid}-${Date.now()}-${seq}`, sessionId, ownerId: 'u1', input, action: 'do', enqueuedAt: Date.now() };
}

function fakeResult(job: TurnJob): TurnResult {
  return {
    sessionId: job.sessionId,
    turnNo: 1,
    taskId: job.taskId,
    input: job.input,
    action: job.action,
    response: `echo ${job.input}`,
    decision: { choiceIndex: null, variableUpdates: [], memories: [], summary: '' },
    updated_state: { text: '', tags: [], choices: [], ended: false, variables: {} },
    timings: { load: 0, narrate: 0, judge: 0, apply: 0, embed: 0, commit: 0, total: 0 },
    createdAt: new Date().toISOString(),
  };
}

export async function waitForState(queue: TurnQueue, taskId: string, states: TaskStatus['state'][], timeoutMs = 10_000): Promise<TaskStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await queue.getStatus(taskId);
    if (status && states.includes(status.state)) return status;
    if (Date.now() > deadline) throw new Error(`task ${taskId} did not reach ${states.join('|')}; last: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A slow model call: never ends on its own, and rejects like the AI SDK does (its own AbortError) once `signal` aborts. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(new DOMException('This operation was aborted', 'AbortError'));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

/** Records onFailed calls; `next` resolves at the next one. */
function failures() {
  const calls: { taskId: string; code: string }[] = [];
  let wake: (() => void) | null = null;
  return {
    calls,
    onFailed: async (job: TurnJob, err: { code: string }) => {
      calls.push({ taskId: job.taskId, code: err.code });
      wake?.();
    },
    next: (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (calls.length >= count ? resolve() : void (wake = check));
        check();
      }),
  };
}

export function runTurnQueueContract(name: string, create: QueueFactory): void {
  describe(`${name} (TurnQueue contract)`, () => {
    it('runs a job and reports completed with its result', async () => {
      const q = await underTest(create, { concurrency: 4, attempts: 3, backoffMs: 10 });
      q.start(async (job) => fakeResult(job));
      const job = makeJob('s-a');
      const accepted = await q.queue.enqueue(job);
      expect(accepted.taskId).toBe(job.taskId);
      const done = await waitForState(q.queue, job.taskId, ['completed']);
      // A queue may leave the result to the database the turn was committed to.
      if (done.result !== null) expect(done.result.response).toBe('echo look around');
      await q.close({ graceMs: 1000 });
    });

    it('refuses a second job for a session while one is in flight, accepts it after', async () => {
      const q = await underTest(create, { concurrency: 4, attempts: 1, backoffMs: 10 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      q.start(async (job) => {
        await gate;
        return fakeResult(job);
      });
      const first = makeJob('s-b');
      await q.queue.enqueue(first);
      await expect(q.queue.enqueue(makeJob('s-b'))).rejects.toMatchObject({ code: 'turn_in_progress' });
      // The same task again (a retried request) is not a conflict.
      await expect(q.queue.enqueue(first)).resolves.toMatchObject({ taskId: first.taskId });
      release();
      await waitForState(q.queue, first.taskId, ['completed']);
      const second = makeJob('s-b');
      await q.queue.enqueue(second);
      await waitForState(q.queue, second.taskId, ['completed']);
      await q.close({ graceMs: 1000 });
    });

    it('isBusy: true while a job is queued, running or waiting for a retry; false once committed or done', async () => {
      const q = await underTest(create, { concurrency: 1, attempts: 2, backoffMs: 300 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let committed!: () => void;
      const wasCommitted = new Promise<void>((r) => (committed = r));
      q.start(async (job, ctx) => {
        if (job.input === 'flaky' && ctx.attempt === 1) throw new DramaError('model_unavailable', 'try later', { retryable: true });
        // Committed; its announcement takes a while.
        if (job.input === 'slow') return { result: fakeResult(job), announce: () => (committed(), gate) };
        return fakeResult(job);
      });
      expect(await q.queue.isBusy('s-busy')).toBe(false);
      const blocker = makeJob('s-blocker', 'slow');
      await q.queue.enqueue(blocker);
      // Queued behind the blocker (concurrency 1): busy before it ever runs.
      const flaky = makeJob('s-busy', 'flaky');
      await q.queue.enqueue(flaky);
      expect(await q.queue.isBusy('s-busy')).toBe(true);
      expect(await q.queue.isBusy('s-idle')).toBe(false);
      // Committed but still winding down: the session may act (and rewind) again.
      await wasCommitted;
      expect(await q.queue.isBusy('s-blocker')).toBe(false);
      release();
      await waitForState(q.queue, flaky.taskId, ['retrying']);
      expect(await q.queue.isBusy('s-busy')).toBe(true);
      await waitForState(q.queue, flaky.taskId, ['completed']);
      expect(await q.queue.isBusy('s-busy')).toBe(false);
      await q.close({ graceMs: 1000 });
    });

    it('runs different sessions concurrently, up to the concurrency', async () => {
      const q = await underTest(create, { concurrency: 3, attempts: 1, backoffMs: 10 });
      let running = 0;
      let peak = 0;
      q.start(async (job) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 50));
        running -= 1;
        return fakeResult(job);
      });
      const jobs = Array.from({ length: 9 }, (_, i) => makeJob(`s-c${i}`));
      await Promise.all(jobs.map((j) => q.queue.enqueue(j)));
      await Promise.all(jobs.map((j) => waitForState(q.queue, j.taskId, ['completed'])));
      expect(peak).toBe(3);
      await q.close({ graceMs: 1000 });
    });

    it('retries retryable errors with backoff, then completes', async () => {
      const q = await underTest(create, { concurrency: 2, attempts: 3, backoffMs: 20 });
      const attempts: number[] = [];
      const retries: number[] = [];
      q.start(
        async (job, ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt < 3) throw new DramaError('model_unavailable', 'try later', { retryable: true });
          return fakeResult(job);
        },
        { retrying: async (_job, _err, attempt) => void retries.push(attempt) },
      );
      const job = makeJob('s-d');
      await q.queue.enqueue(job);
      const done = await waitForState(q.queue, job.taskId, ['completed']);
      expect(attempts).toEqual([1, 2, 3]);
      expect(retries).toEqual([1, 2]);
      expect(done.attempts).toBe(3);
      await q.close({ graceMs: 1000 });
    });

    it('fails at once on a non-retryable error, and after the last attempt otherwise', async () => {
      const q = await underTest(create, { concurrency: 2, attempts: 2, backoffMs: 10 });
      const failed: string[] = [];
      q.start(
        async (job) => {
          if (job.input === 'bad') throw new DramaError('judge_invalid_decision', 'nope');
          throw new DramaError('model_unavailable', 'down', { retryable: true });
        },
        { failed: async (job, err) => void failed.push(`${job.input}:${err.code}`) },
      );
      const bad = makeJob('s-e', 'bad');
      const flaky = makeJob('s-f', 'flaky');
      await q.queue.enqueue(bad);
      await q.queue.enqueue(flaky);
      const badDone = await waitForState(q.queue, bad.taskId, ['failed']);
      expect(badDone.attempts).toBe(1);
      expect(badDone.error?.code).toBe('judge_invalid_decision');
      const flakyDone = await waitForState(q.queue, flaky.taskId, ['failed']);
      expect(flakyDone.attempts).toBe(2);
      expect(failed.sort()).toEqual(['bad:judge_invalid_decision', 'flaky:model_unavailable']);
      await q.close({ graceMs: 1000 });
    });

    it('cancel: a running turn sees its signal aborted, fails as cancelled once, is not retried, and frees the session', async () => {
      const q = await underTest(create, { concurrency: 2, attempts: 3, backoffMs: 10 });
      const failed = failures();
      const runs: string[] = [];
      let reason: unknown;
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      q.start(
        async (job, ctx) => {
          runs.push(`${job.input}#${ctx.attempt}`);
          if (job.input !== 'slow') return fakeResult(job);
          started();
          ctx.signal.addEventListener('abort', () => (reason = ctx.signal.reason));
          return untilAborted(ctx.signal);
        },
        { failed: failed.onFailed },
      );
      const job = makeJob('s-cancel-run', 'slow');
      await q.queue.enqueue(job);
      await running;
      const status = await q.queue.cancel('s-cancel-run');
      expect(status).toMatchObject({ taskId: job.taskId, state: 'failed', error: { code: 'cancelled' } });
      expect(reason).toMatchObject({ code: 'cancelled' });
      expect(await q.queue.isBusy('s-cancel-run')).toBe(false);
      const next = makeJob('s-cancel-run', 'again');
      await q.queue.enqueue(next);
      await waitForState(q.queue, next.taskId, ['completed']);
      await failed.next(1);
      expect(failed.calls).toEqual([{ taskId: job.taskId, code: 'cancelled' }]);
      expect(runs).toEqual(['slow#1', 'again#1']);
      expect((await q.queue.getStatus(job.taskId))?.error?.code).toBe('cancelled');
      await q.close({ graceMs: 1000 });
    });

    it('cancel: a queued turn fails as cancelled and never completes', async () => {
      const q = await underTest(create, { concurrency: 1, attempts: 3, backoffMs: 10 });
      const failed = failures();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      q.start(
        async (job, ctx) => {
          if (job.input === 'blocker') await gate;
          // If a worker got to it before the cancel did, it is aborted like any running turn.
          if (job.input === 'doomed') return untilAborted(ctx.signal);
          return fakeResult(job);
        },
        { failed: failed.onFailed },
      );
      await q.queue.enqueue(makeJob('s-cancel-blocker', 'blocker'));
      const doomed = makeJob('s-cancel-queued', 'doomed');
      await q.queue.enqueue(doomed);
      expect((await q.queue.getStatus(doomed.taskId))?.state).toBe('queued');
      // A queue with a free worker fails it at once; one whose workers are all busy when the
      // next is free, which the release makes happen.
      const cancelling = q.queue.cancel('s-cancel-queued');
      release();
      expect(await cancelling).toMatchObject({ taskId: doomed.taskId, state: 'failed', error: { code: 'cancelled' } });
      await failed.next(1);
      expect(failed.calls).toEqual([{ taskId: doomed.taskId, code: 'cancelled' }]);
      const next = makeJob('s-cancel-queued', 'again');
      await q.queue.enqueue(next);
      await waitForState(q.queue, next.taskId, ['completed']);
      await q.close({ graceMs: 1000 });
    });

    it('cancel: a turn waiting out a retry backoff fails as cancelled at once, without another attempt', async () => {
      const q = await underTest(create, { concurrency: 2, attempts: 3, backoffMs: 60_000 });
      const failed = failures();
      const attempts: number[] = [];
      q.start(
        async (job, ctx) => {
          attempts.push(ctx.attempt);
          if (job.input === 'flaky') throw new DramaError('model_unavailable', 'down', { retryable: true });
          return fakeResult(job);
        },
        { failed: failed.onFailed },
      );
      const job = makeJob('s-cancel-backoff', 'flaky');
      await q.queue.enqueue(job);
      await waitForState(q.queue, job.taskId, ['retrying']);
      // The backoff is a minute: only the cancel can end the turn within the test's time.
      const status = await q.queue.cancel('s-cancel-backoff');
      expect(status).toMatchObject({ taskId: job.taskId, state: 'failed', error: { code: 'cancelled' } });
      await failed.next(1);
      expect(failed.calls).toEqual([{ taskId: job.taskId, code: 'cancelled' }]);
      expect(attempts).toEqual([1]);
      const next = makeJob('s-cancel-backoff', 'fine');
      await q.queue.enqueue(next);
      await waitForState(q.queue, next.taskId, ['completed']);
      await q.close({ graceMs: 1000 });
    });

    it('cancel: a turn that commits while the abort lands stays completed (too late to cancel)', async () => {
      const q = await underTest(create, { concurrency: 2, attempts: 1, backoffMs: 10 });
      const failed = failures();
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      q.start(
        async (job, ctx) => {
          started();
          // The commit was already under way: the abort is seen, the turn finishes anyway.
          await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
          return fakeResult(job);
        },
        { failed: failed.onFailed },
      );
      const job = makeJob('s-cancel-late');
      await q.queue.enqueue(job);
      await running;
      const status = await q.queue.cancel('s-cancel-late');
      expect(status).toMatchObject({ taskId: job.taskId, state: 'completed', error: null });
      expect(failed.calls).toEqual([]);
      await q.close({ graceMs: 1000 });
    });

    it('cancel: a turn that committed as the abort landed, then failed to announce, is announced again, never reported cancelled', async () => {
      const q = await underTest(create, { concurrency: 2, attempts: 3, backoffMs: 10 });
      const failed = failures();
      const announced: number[] = [];
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      q.start(
        async (job, ctx) => {
          // A re-run finds the turn committed and replays it (what runTurn does).
          if (ctx.attempt === 1) {
            started();
            await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
          }
          return {
            result: fakeResult(job),
            announce: async () => {
              announced.push(ctx.attempt);
              if (announced.length === 1) throw new DramaError('internal', 'the announcement failed after the commit', { retryable: true });
            },
          };
        },
        { failed: failed.onFailed },
      );
      const job = makeJob('s-cancel-committed-then-failed');
      await q.queue.enqueue(job);
      await running;
      const status = await q.queue.cancel('s-cancel-committed-then-failed');
      expect(status === null || status.state !== 'failed').toBe(true);
      await waitForState(q.queue, job.taskId, ['completed']);
      await expect.poll(() => announced.length).toBe(2);
      expect(failed.calls).toEqual([]);
      await q.close({ graceMs: 1000 });
    });

    it('cancel: null with nothing in flight, after completion, and once the turn has committed', async () => {
      const q = await underTest(create, { concurrency: 2, attempts: 1, backoffMs: 10 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let committed!: () => void;
      const wasCommitted = new Promise<void>((r) => (committed = r));
      q.start(async (job) => {
        if (job.input === 'winding down') return { result: fakeResult(job), announce: () => (committed(), gate) };
        return fakeResult(job);
      });
      expect(await q.queue.cancel('s-cancel-none')).toBeNull();
      const done = makeJob('s-cancel-done');
      await q.queue.enqueue(done);
      await waitForState(q.queue, done.taskId, ['completed']);
      expect(await q.queue.cancel('s-cancel-done')).toBeNull();
      expect((await q.queue.getStatus(done.taskId))?.state).toBe('completed');
      const winding = makeJob('s-cancel-committed', 'winding down');
      await q.queue.enqueue(winding);
      await wasCommitted;
      expect(await q.queue.cancel('s-cancel-committed')).toBeNull();
      release();
      await waitForState(q.queue, winding.taskId, ['completed']);
      await q.close({ graceMs: 1000 });
    });

    it('close() lets a running job finish and then refuses new jobs', async () => {
      const q = await underTest(create, { concurrency: 2, attempts: 1, backoffMs: 10 });
      let finished = false;
      q.start(async (job) => {
        await new Promise((r) => setTimeout(r, 100));
        finished = true;
        return fakeResult(job);
      });
      const job = makeJob('s-g');
      await q.queue.enqueue(job);
      await waitForState(q.queue, job.taskId, ['processing']);
      await q.close({ graceMs: 5000 });
      expect(finished).toBe(true);
      await expect(q.queue.enqueue(makeJob('s-h'))).rejects.toMatchObject({ code: 'shutting_down' });
    });
  });
}
