/**
 * The behaviour every TurnQueue must have; each implementation's test runs this suite (and the
 * cancel suite it includes).
 * @module
 */
import { describe, expect, it, vi } from 'vitest';
import { DramaError } from '../domain/errors.js';
import { deferred, fakeResult, makeJob, underTest, waitForState, type QueueFactory } from './turn-queue.contract-kit.js';
import { runCancelContract } from './turn-queue-cancel.contract.js';

export * from './turn-queue.contract-kit.js';
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
      const { promise: gate, resolve: release } = deferred();
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
      const { promise: gate, resolve: release } = deferred();
      const { promise: wasCommitted, resolve: committed } = deferred();
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

    it('holdsSession: true while the job is queued or running, false once its turn is announced (a status read then asks the database)', async () => {
      const q = await underTest(create, { concurrency: 1, attempts: 1, backoffMs: 10 });
      if (!q.queue.holdsSession) return void (await q.close({ graceMs: 1000 }));
      const holds = (job: { sessionId: string; taskId: string }) => q.queue.holdsSession!(job.sessionId, job.taskId);
      const { promise: gate, resolve: release } = deferred();
      const { promise: running, resolve: started } = deferred();
      let atAnnouncement: boolean | undefined;
      const job = makeJob('s-holds');
      q.start(async (j) => {
        started();
        await gate;
        return { result: fakeResult(j), announce: async () => void (atAnnouncement = await holds(j)) };
      });
      await q.queue.enqueue(job);
      expect(await holds(job)).toBe(true);
      await running;
      expect(await holds(job)).toBe(true);
      // Another session's, or another task of this session, is not this task's.
      expect(await holds({ ...job, sessionId: 's-other' })).toBe(false);
      expect(await holds({ ...job, taskId: `${job.taskId}-other` })).toBe(false);
      release();
      await waitForState(q.queue, job.taskId, ['completed']);
      expect(atAnnouncement).toBe(false);
      expect(await holds(job)).toBe(false);
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
      // The queue may report the job failed a moment before the worker's failed handler has run.
      await vi.waitFor(() => expect([...failed].sort()).toEqual(['bad:judge_invalid_decision', 'flaky:model_unavailable']), { timeout: 5_000 });
      await q.close({ graceMs: 1000 });
    });

    runCancelContract(create);

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
