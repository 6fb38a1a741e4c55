/**
 * Cancelling a turn, as every TurnQueue must: queued, running, waiting out a backoff, committing
 * as the abort lands. Part of the TurnQueue contract (turn-queue.contract.ts).
 * @module
 */
import { describe, expect, it } from 'vitest';
import { DramaError } from '../domain/errors.js';
import { deferred, failures, fakeResult, makeJob, underTest, untilAborted, waitForState, type QueueFactory } from './turn-queue.contract-kit.js';

export function runCancelContract(create: QueueFactory): void {
  describe('cancel', () => {
      it('cancel: a running turn sees its signal aborted, fails as cancelled once, is not retried, and frees the session', async () => {
        const q = await underTest(create, { concurrency: 2, attempts: 3, backoffMs: 10 });
        const failed = failures();
        const runs: string[] = [];
        let reason: unknown;
        const { promise: running, resolve: started } = deferred();
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
        const { promise: gate, resolve: release } = deferred();
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
        const { promise: running, resolve: started } = deferred();
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
        const { promise: running, resolve: started } = deferred();
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
        const { promise: gate, resolve: release } = deferred();
        const { promise: wasCommitted, resolve: committed } = deferred();
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
  });
}
