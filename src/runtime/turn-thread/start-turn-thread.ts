/**
 * The all-in-one process's turn thread (`TURN_THREAD=on`). The main thread keeps HTTP, WebSockets,
 * the event bus and the turn queue's bookkeeping; a worker thread runs the turns themselves (model
 * streams, prompts, the judge, ink, the commit), with its own connections to the same database.
 * When a hundred players act at once, their turns no longer queue on the one event loop that also
 * writes every player's narration.
 *
 * The thread is a `work` runtime (create-runtime.ts) on a transport whose queue and bus are this
 * thread's (thread-transport.ts). A thread that dies is started again; the turns it held fail as
 * retryable and the queue runs them again.
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Env } from '../../config/env.js';
import type { EventBus, TurnEventInput } from '../../domain/ports/event-bus.js';
import type { SessionHeads } from '../../domain/ports/session-heads.js';
import type { TurnQueue, TurnJob, TaskError } from '../../domain/ports/turn-queue.js';
import type { TurnJobHandlers } from '../../domain/ports/turn-worker.js';
import type { TurnResult } from '../../domain/types.js';
import { DramaError } from '../../domain/errors.js';
import type { Logger } from '../../shared/log.js';
import { withTimeout } from '../../shared/timeout.js';
import { PortPeer, fromWireError, toWireError, type WireError } from './port-peer.js';

const ENTRY_URL = new URL('./entry.mjs', import.meta.url);

/** Where the turn thread reaches the database this process opened. */
export interface TurnThreadDatabase {
  url: string;
  /** The embedded database's thread (its socket serves this process only), not a server. */
  pglite: boolean;
}

/** What the thread is started with (`workerData`). */
export interface TurnThreadData {
  env: Env;
  database: TurnThreadDatabase;
  /** The main thread's log level and whether it writes for a terminal. */
  logLevel: string;
  tty: boolean;
  /** The main thread keeps shared session heads: the thread's writes must forget them too. */
  heads: boolean;
}

export interface TurnThread {
  /** The queue's handlers: each call runs on the thread. */
  handlers: TurnJobHandlers;
  /** The thread's metrics, to be served with the main thread's. */
  metrics(): Promise<MetricObjectWithValues<MetricValue<string>>[]>;
  /** Batches and messages that crossed to and from the threads so far (all of them, restarts included). */
  traffic(): Traffic;
  /**
   * Stop the running thread at once, as a crash would: its turns fail as retryable and run again
   * on the thread started in its place (tests; an operator's last resort for a stuck thread).
   */
  terminate(): Promise<void>;
  close(): Promise<void>;
}

export interface TurnThreadOptions {
  env: Env;
  database: TurnThreadDatabase;
  queue: TurnQueue;
  bus: EventBus;
  /** The process's shared session heads (distributed), which the thread's writes forget through it. */
  heads?: SessionHeads;
  logger: Logger;
  logLevel: string;
  tty: boolean;
}

type Traffic = PortPeer['traffic'];

function addTraffic(a: Traffic, b: Traffic): Traffic {
  return { batchesSent: a.batchesSent + b.batchesSent, messagesSent: a.messagesSent + b.messagesSent, batchesReceived: a.batchesReceived + b.batchesReceived, messagesReceived: a.messagesReceived + b.messagesReceived };
}

/** How long a stopped thread waits before it is started again. */
const RESTART_DELAY_MS = 1000;

/** Start the turn thread; resolves once it takes turns. */
export async function startTurnThread(options: TurnThreadOptions): Promise<TurnThread> {
  const { queue, bus, heads, logger } = options;
  // The main thread's side of the calls: what the thread's turns reach back for.
  const methods = {
    'queue.enqueue': (job: TurnJob) => queue.enqueue(job),
    'queue.getStatus': (taskId: string) => queue.getStatus(taskId),
    'queue.isBusy': (sessionId: string) => queue.isBusy(sessionId),
    'queue.cancel': (sessionId: string) => queue.cancel(sessionId),
    'queue.counts': () => queue.counts?.() ?? { waiting: 0, active: 0, delayed: 0 },
    'bus.publish': (event: TurnEventInput) => bus.publish(event),
    'bus.replay': (sessionId: string, since: number) => bus.replay(sessionId, since),
    // Called only when the thread was told there are heads (TurnThreadData.heads).
    'heads.claim': (sessionId: string, userId: string, taskId: string) => heads!.claim(sessionId, userId, taskId),
    'heads.peek': (sessionId: string, userId: string, taskId?: string) => heads!.peek(sessionId, userId, taskId),
    'heads.stamp': (sessionId: string) => heads!.stamp(sessionId),
    'heads.remember': (sessionId: string, ownerId: string, stamp: string) => heads!.remember(sessionId, ownerId, stamp),
    'heads.forget': (sessionId: string) => heads!.forget(sessionId),
    'heads.forgetAll': () => heads!.forgetAll(),
    'heads.release': (sessionId: string, taskId: string) => heads!.release(sessionId, taskId),
    ping: () => undefined,
  };
  const data: TurnThreadData = { env: options.env, database: options.database, logLevel: options.logLevel, tty: options.tty, heads: Boolean(heads) };
  let closing = false;
  let current: { worker: Worker; peer: PortPeer; exited: Promise<void> };
  /** Settles once the thread started in place of a stopped one takes turns. */
  let replaced: Promise<void> = Promise.resolve();
  let replacedNow: (() => void) | null = null;

  const spawn = async (): Promise<typeof current> => {
    const worker = new Worker(ENTRY_URL, { workerData: data });
    let ready!: () => void;
    let failed!: (err: Error) => void;
    const started = new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject)));
    const peer = new PortPeer(worker, { ...methods, 'thread.ready': () => ready(), 'thread.failed': (err: WireError) => failed(fromWireError(err)) });
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        const err = new DramaError('internal', `the turn thread stopped (exit code ${code})`, { retryable: true });
        peer.break(err);
        failed(err);
        resolve();
        if (!closing && current?.worker === worker) restart(err);
      }),
    );
    // An uncaught error ends the thread; `exit` follows and restarts it.
    worker.on('error', (err) => logger.error({ err }, 'the turn thread failed'));
    try {
      await started;
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    return { worker, peer, exited };
  };

  const restart = (err: Error): void => {
    logger.error({ err }, 'the turn thread stopped; its turns run again on a new one');
    if (!replacedNow) replaced = new Promise<void>((resolve) => (replacedNow = resolve));
    setTimeout(() => {
      if (closing) return;
      spawn().then(
        (next) => {
          stoppedTraffic = addTraffic(stoppedTraffic, current.peer.traffic);
          current = next;
          replacedNow?.();
          replacedNow = null;
        },
        (spawnErr: unknown) => restart(spawnErr instanceof Error ? spawnErr : new Error(String(spawnErr))),
      );
    }, RESTART_DELAY_MS).unref();
  };

  current = await spawn();
  let callIds = 0;
  // The traffic of threads that stopped, added to the running one's.
  let stoppedTraffic: Traffic = { batchesSent: 0, messagesSent: 0, batchesReceived: 0, messagesReceived: 0 };

  /**
   * Tell the watchers about a committed turn. The thread that ran it holds the announcement; if
   * that thread stopped in between, the job runs once more on its successor, which finds the turn
   * committed, writes nothing, and announces it (TurnJobHandlers.run is idempotent).
   */
  const announce = async (peer: PortPeer, callId: number, job: TurnJob, attempt: number): Promise<void> => {
    if (!peer.broken) {
      try {
        return await peer.call<void>('turn.announce', callId);
      } catch (err) {
        if (!peer.broken) throw err;
      }
    }
    await replaced;
    const again = ++callIds;
    await current.peer.call<TurnResult>('turn.run', again, job, attempt, true);
    await current.peer.call<void>('turn.announce', again);
  };

  const handlers: TurnJobHandlers = {
    async run(job, ctx) {
      // A thread that stopped is being replaced: the turn waits for the new one.
      await replaced;
      const { peer } = current;
      const callId = ++callIds;
      const onAbort = () => peer.notify('turn.abort', callId, toWireError(ctx.signal.reason));
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await peer.call<TurnResult>('turn.run', callId, job, ctx.attempt, ctx.finalAttempt);
        return { result, announce: () => announce(peer, callId, job, ctx.attempt) };
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
      }
    },
    // Right after a thread stopped, these wait for its successor: it publishes turn.retrying and
    // turn.failed (the watchers would otherwise never hear of a turn that failed for good).
    async retrying(job: TurnJob, error: TaskError, attempt: number, delayMs: number) {
      await replaced;
      await current.peer.call('turn.retrying', job, error, attempt, delayMs);
    },
    async failed(job: TurnJob, error: TaskError, attempts: number) {
      await replaced;
      await current.peer.call('turn.failed', job, error, attempts);
    },
  };

  let stopping: Promise<void> | undefined;
  return {
    handlers,
    traffic: () => addTraffic(stoppedTraffic, current.peer.traffic),
    metrics: () => current.peer.call<MetricObjectWithValues<MetricValue<string>>[]>('thread.metrics').catch(() => []),
    async terminate() {
      const { worker, exited } = current;
      await worker.terminate();
      await exited;
    },
    close() {
      stopping ??= (async () => {
        closing = true;
        replacedNow?.();
        const { worker, peer, exited } = current;
        // The thread closes its runtime (its database connections, its traces) and then ends.
        await peer.call('thread.close').catch(() => undefined);
        await withTimeout(exited, 10_000, async () => void (await worker.terminate()), { ref: true });
      })();
      return stopping;
    },
  };
}
