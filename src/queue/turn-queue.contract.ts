/**
 * The behaviour every TurnQueue must have; each implementation's test runs this suite.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { DramaError } from '../domain/errors.js';
import type { TaskStatus, TurnJob, TurnQueue } from '../domain/ports/turn-queue.js';
import type { TurnResult } from '../domain/types.js';

export type QueueFactory = (opts: { concurrency: number; attempts: number; backoffMs: number }) => Promise<TurnQueue>;

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
    onFailed: (job: TurnJob, err: { code: string }) => {
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
      const queue = await create({ concurrency: 4, attempts: 3, backoffMs: 10 });
      queue.start(async (job) => fakeResult(job));
      const job = makeJob('s-a');
      const accepted = await queue.enqueue(job);
      expect(accepted.taskId).toBe(job.taskId);
      const done = await waitForState(queue, job.taskId, ['completed']);
      expect(done.result?.response).toBe('echo look around');
      await queue.close({ graceMs: 1000 });
    });

    it('refuses a second job for a session while one is in flight, accepts it after', async () => {
      const queue = await create({ concurrency: 4, attempts: 1, backoffMs: 10 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      queue.start(async (job) => {
        await gate;
        return fakeResult(job);
      });
      const first = makeJob('s-b');
      await queue.enqueue(first);
      await expect(queue.enqueue(makeJob('s-b'))).rejects.toMatchObject({ code: 'turn_in_progress' });
      // The same task again (a retried request) is not a conflict.
      await expect(queue.enqueue(first)).resolves.toMatchObject({ taskId: first.taskId });
      release();
      await waitForState(queue, first.taskId, ['completed']);
      const second = makeJob('s-b');
      await queue.enqueue(second);
      await waitForState(queue, second.taskId, ['completed']);
      await queue.close({ graceMs: 1000 });
    });

    it('isBusy: true while a job is queued, running or waiting for a retry; false once committed or done', async () => {
      const queue = await create({ concurrency: 1, attempts: 2, backoffMs: 300 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let committed!: () => void;
      const wasCommitted = new Promise<void>((r) => (committed = r));
      queue.start(async (job, ctx) => {
        if (job.input === 'flaky' && ctx.attempt === 1) throw new DramaError('model_unavailable', 'try later', { retryable: true });
        if (job.input === 'slow') {
          await ctx.markCommitted?.();
          committed();
          await gate;
        }
        return fakeResult(job);
      });
      expect(await queue.isBusy('s-busy')).toBe(false);
      const blocker = makeJob('s-blocker', 'slow');
      await queue.enqueue(blocker);
      // Queued behind the blocker (concurrency 1): busy before it ever runs.
      const flaky = makeJob('s-busy', 'flaky');
      await queue.enqueue(flaky);
      expect(await queue.isBusy('s-busy')).toBe(true);
      expect(await queue.isBusy('s-idle')).toBe(false);
      // Committed but still winding down: the session may act (and rewind) again.
      await wasCommitted;
      expect(await queue.isBusy('s-blocker')).toBe(false);
      release();
      await waitForState(queue, flaky.taskId, ['retrying']);
      expect(await queue.isBusy('s-busy')).toBe(true);
      await waitForState(queue, flaky.taskId, ['completed']);
      expect(await queue.isBusy('s-busy')).toBe(false);
      await queue.close({ graceMs: 1000 });
    });

    it('runs different sessions concurrently, up to the concurrency', async () => {
      const queue = await create({ concurrency: 3, attempts: 1, backoffMs: 10 });
      let running = 0;
      let peak = 0;
      queue.start(async (job) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 50));
        running -= 1;
        return fakeResult(job);
      });
      const jobs = Array.from({ length: 9 }, (_, i) => makeJob(`s-c${i}`));
      await Promise.all(jobs.map((j) => queue.enqueue(j)));
      await Promise.all(jobs.map((j) => waitForState(queue, j.taskId, ['completed'])));
      expect(peak).toBe(3);
      await queue.close({ graceMs: 1000 });
    });

    it('retries retryable errors with backoff, then completes', async () => {
      const queue = await create({ concurrency: 2, attempts: 3, backoffMs: 20 });
      const attempts: number[] = [];
      const retries: number[] = [];
      queue.start(
        async (job, ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt < 3) throw new DramaError('model_unavailable', 'try later', { retryable: true });
          return fakeResult(job);
        },
        { onRetry: (_job, _err, attempt) => void retries.push(attempt) },
      );
      const job = makeJob('s-d');
      await queue.enqueue(job);
      const done = await waitForState(queue, job.taskId, ['completed']);
      expect(attempts).toEqual([1, 2, 3]);
      expect(retries).toEqual([1, 2]);
      expect(done.attempts).toBe(3);
      await queue.close({ graceMs: 1000 });
    });

    it('fails at once on a non-retryable error, and after the last attempt otherwise', async () => {
      const queue = await create({ concurrency: 2, attempts: 2, backoffMs: 10 });
      const failed: string[] = [];
      queue.start(
        async (job) => {
          if (job.input === 'bad') throw new DramaError('judge_invalid_decision', 'nope');
          throw new DramaError('model_unavailable', 'down', { retryable: true });
        },
        { onFailed: (job, err) => void failed.push(`${job.input}:${err.code}`) },
      );
      const bad = makeJob('s-e', 'bad');
      const flaky = makeJob('s-f', 'flaky');
      await queue.enqueue(bad);
      await queue.enqueue(flaky);
      const badDone = await waitForState(queue, bad.taskId, ['failed']);
      expect(badDone.attempts).toBe(1);
      expect(badDone.error?.code).toBe('judge_invalid_decision');
      const flakyDone = await waitForState(queue, flaky.taskId, ['failed']);
      expect(flakyDone.attempts).toBe(2);
      expect(failed.sort()).toEqual(['bad:judge_invalid_decision', 'flaky:model_unavailable']);
      await queue.close({ graceMs: 1000 });
    });

    it('cancel: a running turn sees its signal aborted, fails as cancelled once, is not retried, and frees the session', async () => {
      const queue = await create({ concurrency: 2, attempts: 3, backoffMs: 10 });
      const failed = failures();
      const runs: string[] = [];
      let reason: unknown;
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      queue.start(
        async (job, ctx) => {
          runs.push(`${job.input}#${ctx.attempt}`);
          if (job.input !== 'slow') return fakeResult(job);
          started();
          ctx.signal.addEventListener('abort', () => (reason = ctx.signal.reason));
          return untilAborted(ctx.signal);
        },
        { onFailed: failed.onFailed },
      );
      const job = makeJob('s-cancel-run', 'slow');
      await queue.enqueue(job);
      await running;
      const status = await queue.cancel('s-cancel-run');
      expect(status).toMatchObject({ taskId: job.taskId, state: 'failed', error: { code: 'cancelled' } });
      expect(reason).toMatchObject({ code: 'cancelled' });
      expect(await queue.isBusy('s-cancel-run')).toBe(false);
      const next = makeJob('s-cancel-run', 'again');
      await queue.enqueue(next);
      await waitForState(queue, next.taskId, ['completed']);
      await failed.next(1);
      expect(failed.calls).toEqual([{ taskId: job.taskId, code: 'cancelled' }]);
      expect(runs).toEqual(['slow#1', 'again#1']);
      expect((await queue.getStatus(job.taskId))?.error?.code).toBe('cancelled');
      await queue.close({ graceMs: 1000 });
    });

    it('cancel: a queued turn fails as cancelled and never completes', async () => {
      const queue = await create({ concurrency: 1, attempts: 3, backoffMs: 10 });
      const failed = failures();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      queue.start(
        async (job, ctx) => {
          if (job.input === 'blocker') await gate;
          // If a worker got to it before the cancel did, it is aborted like any running turn.
          if (job.input === 'doomed') return untilAborted(ctx.signal);
          return fakeResult(job);
        },
        { onFailed: failed.onFailed },
      );
      await queue.enqueue(makeJob('s-cancel-blocker', 'blocker'));
      const doomed = makeJob('s-cancel-queued', 'doomed');
      await queue.enqueue(doomed);
      expect((await queue.getStatus(doomed.taskId))?.state).toBe('queued');
      // A queue with a free worker fails it at once; one whose workers are all busy when the
      // next is free, which the release makes happen.
      const cancelling = queue.cancel('s-cancel-queued');
      release();
      expect(await cancelling).toMatchObject({ taskId: doomed.taskId, state: 'failed', error: { code: 'cancelled' } });
      await failed.next(1);
      expect(failed.calls).toEqual([{ taskId: doomed.taskId, code: 'cancelled' }]);
      const next = makeJob('s-cancel-queued', 'again');
      await queue.enqueue(next);
      await waitForState(queue, next.taskId, ['completed']);
      await queue.close({ graceMs: 1000 });
    });

    it('cancel: a turn waiting out a retry backoff fails as cancelled at once, without another attempt', async () => {
      const queue = await create({ concurrency: 2, attempts: 3, backoffMs: 60_000 });
      const failed = failures();
      const attempts: number[] = [];
      queue.start(
        async (job, ctx) => {
          attempts.push(ctx.attempt);
          if (job.input === 'flaky') throw new DramaError('model_unavailable', 'down', { retryable: true });
          return fakeResult(job);
        },
        { onFailed: failed.onFailed },
      );
      const job = makeJob('s-cancel-backoff', 'flaky');
      await queue.enqueue(job);
      await waitForState(queue, job.taskId, ['retrying']);
      // The backoff is a minute: only the cancel can end the turn within the test's time.
      const status = await queue.cancel('s-cancel-backoff');
      expect(status).toMatchObject({ taskId: job.taskId, state: 'failed', error: { code: 'cancelled' } });
      await failed.next(1);
      expect(failed.calls).toEqual([{ taskId: job.taskId, code: 'cancelled' }]);
      expect(attempts).toEqual([1]);
      const next = makeJob('s-cancel-backoff', 'fine');
      await queue.enqueue(next);
      await waitForState(queue, next.taskId, ['completed']);
      await queue.close({ graceMs: 1000 });
    });

    it('cancel: a turn that commits while the abort lands stays completed (too late to cancel)', async () => {
      const queue = await create({ concurrency: 2, attempts: 1, backoffMs: 10 });
      const failed = failures();
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      queue.start(
        async (job, ctx) => {
          started();
          // The commit was already under way: the abort is seen, the turn finishes anyway.
          await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
          return fakeResult(job);
        },
        { onFailed: failed.onFailed },
      );
      const job = makeJob('s-cancel-late');
      await queue.enqueue(job);
      await running;
      const status = await queue.cancel('s-cancel-late');
      expect(status).toMatchObject({ taskId: job.taskId, state: 'completed', error: null });
      expect(status?.result?.response).toBe('echo look around');
      expect(failed.calls).toEqual([]);
      await queue.close({ graceMs: 1000 });
    });

    it('cancel: a turn that committed as the abort landed, then failed, is replayed, never reported cancelled', async () => {
      const queue = await create({ concurrency: 2, attempts: 3, backoffMs: 10 });
      const failed = failures();
      const attempts: number[] = [];
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      queue.start(
        async (job, ctx) => {
          attempts.push(ctx.attempt);
          // The re-run finds the turn committed and replays it (what runTurn does).
          if (ctx.attempt > 1) return fakeResult(job);
          started();
          await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
          await ctx.markCommitted?.();
          throw new DramaError('internal', 'the announcement failed after the commit', { retryable: true });
        },
        { onFailed: failed.onFailed },
      );
      const job = makeJob('s-cancel-committed-then-failed');
      await queue.enqueue(job);
      await running;
      const status = await queue.cancel('s-cancel-committed-then-failed');
      const done = status?.state === 'completed' ? status : await waitForState(queue, job.taskId, ['completed', 'failed']);
      expect(done).toMatchObject({ taskId: job.taskId, state: 'completed' });
      expect(attempts).toEqual([1, 2]);
      expect(failed.calls).toEqual([]);
      await queue.close({ graceMs: 1000 });
    });

    it('cancel: null with nothing in flight, after completion, and once the turn has committed', async () => {
      const queue = await create({ concurrency: 2, attempts: 1, backoffMs: 10 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let committed!: () => void;
      const wasCommitted = new Promise<void>((r) => (committed = r));
      queue.start(async (job, ctx) => {
        if (job.input === 'winding down') {
          await ctx.markCommitted?.();
          committed();
          await gate;
        }
        return fakeResult(job);
      });
      expect(await queue.cancel('s-cancel-none')).toBeNull();
      const done = makeJob('s-cancel-done');
      await queue.enqueue(done);
      await waitForState(queue, done.taskId, ['completed']);
      expect(await queue.cancel('s-cancel-done')).toBeNull();
      expect((await queue.getStatus(done.taskId))?.state).toBe('completed');
      const winding = makeJob('s-cancel-committed', 'winding down');
      await queue.enqueue(winding);
      await wasCommitted;
      expect(await queue.cancel('s-cancel-committed')).toBeNull();
      release();
      await waitForState(queue, winding.taskId, ['completed']);
      await queue.close({ graceMs: 1000 });
    });

    it('close() lets a running job finish and then refuses new jobs', async () => {
      const queue = await create({ concurrency: 2, attempts: 1, backoffMs: 10 });
      let finished = false;
      queue.start(async (job) => {
        await new Promise((r) => setTimeout(r, 100));
        finished = true;
        return fakeResult(job);
      });
      const job = makeJob('s-g');
      await queue.enqueue(job);
      await waitForState(queue, job.taskId, ['processing']);
      await queue.close({ graceMs: 5000 });
      expect(finished).toBe(true);
      await expect(queue.enqueue(makeJob('s-h'))).rejects.toMatchObject({ code: 'shutting_down' });
    });
  });
}
