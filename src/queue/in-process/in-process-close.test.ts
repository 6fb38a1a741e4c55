import { expect, it } from 'vitest';
import { DramaError } from '../../domain/errors.js';
import type { TurnJob } from '../../domain/ports/turn-queue.js';
import type { TurnResult } from '../../domain/types.js';
import { jobHandlers, makeJob, waitForState } from '../turn-queue.contract.js';
import { InProcessTurnQueue } from './in-process-turn-queue.js';

it('a retry whose backoff ended while every worker was busy, failed by close(), never runs again', async () => {
  const queue = new InProcessTurnQueue({ concurrency: 1, retry: { attempts: 3, backoffMs: 10 } });
  const calls = new Map<string, number>();
  let releaseBlocker!: () => void;
  const blocker = new Promise<void>((r) => (releaseBlocker = r));
  const flaky = makeJob('s-flaky');
  const slow = makeJob('s-slow');
  queue.start(
    jobHandlers(async (job: TurnJob) => {
      calls.set(job.taskId, (calls.get(job.taskId) ?? 0) + 1);
      if (job.taskId === flaky.taskId) throw new DramaError('model_unavailable', 'try again', { retryable: true });
      await blocker;
      return { taskId: job.taskId } as unknown as TurnResult;
    }),
  );
  await queue.enqueue(flaky);
  await waitForState(queue, flaky.taskId, ['retrying']);
  await queue.enqueue(slow);
  await waitForState(queue, slow.taskId, ['processing']);
  // The flaky turn's backoff ends while the only worker is busy: it waits, still "retrying".
  await new Promise((r) => setTimeout(r, 50));
  const closing = queue.close({ graceMs: 2_000 });
  await new Promise((r) => setTimeout(r, 20));
  expect(await queue.getStatus(flaky.taskId)).toMatchObject({ state: 'failed', error: { code: 'shutting_down' } });
  releaseBlocker();
  await closing;
  expect(calls.get(flaky.taskId)).toBe(1);
  expect(await queue.getStatus(slow.taskId)).toMatchObject({ state: 'completed' });
});
