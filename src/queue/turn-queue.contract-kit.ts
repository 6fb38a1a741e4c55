/**
 * What the TurnQueue contract suites (and other queue tests) drive a queue with: fake jobs and
 * results, a handler bag, state waits.
 * @module
 */
import { DramaError } from '../domain/errors.js';
import type { JobContext, TaskError, TaskStatus, TurnJob, TurnQueue } from '../domain/ports/turn-queue.js';
import type { TurnWorker } from '../domain/ports/turn-worker.js';
import type { CommittedTurn, TurnJobHandlers } from '../domain/ports/turn-worker.js';
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

export async function underTest(create: QueueFactory, opts: { concurrency: number; attempts: number; backoffMs: number }): Promise<QueueUnderTest> {
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

export function fakeResult(job: TurnJob): TurnResult {
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
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(new DOMException('This operation was aborted', 'AbortError'));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

/** Records onFailed calls; `next` resolves at the next one. */
export function failures() {
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

/** A promise and the function that settles it (Promise.withResolvers arrives with Node 22). */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
