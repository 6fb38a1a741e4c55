/**
 * The turn thread's side of the all-in-one transport: its queue and bus are the main thread's
 * (reached through {@link PortPeer}), and its worker runs the jobs the main thread's queue hands
 * over. The queue's bookkeeping (one turn per session, retries, cancel, task status) stays on the
 * main thread, where the HTTP routes read it; only the turns' work moves here.
 * @module
 */
import type { EventBus, Subscription, TurnEvent, TurnEventInput } from '../../domain/ports/event-bus.js';
import type { HeadClaim, HeadPeek, SessionHeads } from '../../domain/ports/session-heads.js';
import type { QueueCounts, TaskError, TaskStatus, TurnJob, TurnQueue } from '../../domain/ports/turn-queue.js';
import type { CommittedTurn, TurnJobHandlers, TurnWorker } from '../../domain/ports/turn-worker.js';
import type { TurnResult } from '../../domain/types.js';
import { DramaError } from '../../domain/errors.js';
import { InMemoryRateLimiter } from '../../queue/in-process/in-memory-rate-limiter.js';
import { InMemorySocketSlots } from '../../queue/in-process/in-memory-socket-slots.js';
import { withTimeout } from '../../shared/timeout.js';
import type { Transport } from '../transport.js';
import { fromWireError, type PortPeer, type WireError } from './port-peer.js';

/** The main thread's queue: what the turn thread's arbiter enqueues (a shared session's next action). */
class MainThreadQueue implements TurnQueue {
  constructor(readonly peer: PortPeer) {}
  enqueue(job: TurnJob): Promise<TaskStatus> {
    return this.peer.call('queue.enqueue', job);
  }
  getStatus(taskId: string): Promise<TaskStatus | null> {
    return this.peer.call('queue.getStatus', taskId);
  }
  isBusy(sessionId: string): Promise<boolean> {
    return this.peer.call('queue.isBusy', sessionId);
  }
  cancel(sessionId: string): Promise<TaskStatus | null> {
    return this.peer.call('queue.cancel', sessionId);
  }
  counts(): Promise<QueueCounts> {
    return this.peer.call('queue.counts');
  }
  async close(): Promise<void> {}
}

/** The main thread's bus: events are published there, where the sockets and streams listen. */
class MainThreadBus implements EventBus {
  constructor(readonly peer: PortPeer) {}
  publish(event: TurnEventInput): Promise<TurnEvent> {
    return this.peer.call('bus.publish', event);
  }
  replay(sessionId: string, since: number): Promise<TurnEvent[]> {
    return this.peer.call('bus.replay', sessionId, since);
  }
  subscribe(): Promise<Subscription> {
    // Nothing that runs turns listens; the listeners are the main thread's clients.
    return Promise.reject(new DramaError('internal', 'the turn thread does not subscribe to session events'));
  }
  async close(): Promise<void> {}
}

/** Runs the jobs the main thread's queue hands over, with that queue's attempt and abort signal. */
export class ThreadTurnWorker implements TurnWorker {
  #handlers: TurnJobHandlers | null = null;
  readonly #running = new Map<number, { controller: AbortController; done: Promise<unknown> }>();
  /** Committed turns waiting for the main thread to ask for their announcement. */
  readonly #committed = new Map<number, CommittedTurn>();

  start(handlers: TurnJobHandlers): void {
    this.#handlers = handlers;
  }

  /** The methods the main thread calls (see start-turn-thread.ts). */
  methods() {
    return {
      'turn.run': (callId: number, job: TurnJob, attempt: number, finalAttempt: boolean) => this.#run(callId, job, attempt, finalAttempt),
      'turn.abort': (callId: number, reason: WireError) => this.#running.get(callId)?.controller.abort(fromWireError(reason)),
      'turn.announce': async (callId: number) => {
        const committed = this.#committed.get(callId);
        if (!committed) return;
        await committed.announce();
        this.#committed.delete(callId);
      },
      'turn.retrying': (job: TurnJob, error: TaskError, attempt: number, delayMs: number) => this.#ready().retrying(job, error, attempt, delayMs),
      'turn.failed': (job: TurnJob, error: TaskError, attempts: number) => this.#ready().failed(job, error, attempts),
    };
  }

  #ready(): TurnJobHandlers {
    if (!this.#handlers) throw new DramaError('shutting_down', 'The turn thread is not taking turns', { retryable: true });
    return this.#handlers;
  }

  async #run(callId: number, job: TurnJob, attempt: number, finalAttempt: boolean): Promise<TurnResult> {
    const controller = new AbortController();
    const run = this.#ready().run(job, { attempt, finalAttempt, signal: controller.signal });
    this.#running.set(callId, { controller, done: run.catch(() => undefined) });
    try {
      const committed = await run;
      this.#committed.set(callId, committed);
      return committed.result;
    } finally {
      this.#running.delete(callId);
    }
  }

  /** The main thread's queue drains first; what still runs here gets `graceMs`, then is aborted. */
  async close(opts: { graceMs?: number } = {}): Promise<void> {
    const running = [...this.#running.values()];
    await withTimeout(Promise.all(running.map((r) => r.done)), opts.graceMs ?? 10_000, () => undefined);
    for (const r of this.#running.values()) r.controller.abort(new DramaError('shutting_down', 'Shutting down'));
    await Promise.all(running.map((r) => r.done));
    this.#handlers = null;
  }
}

/** The main thread's shared session heads: the thread's store forgets them on its writes. */
class MainThreadHeads implements SessionHeads {
  constructor(readonly peer: PortPeer) {}
  claim(sessionId: string, userId: string, taskId: string): Promise<HeadClaim> {
    return this.peer.call('heads.claim', sessionId, userId, taskId);
  }
  remember(sessionId: string, ownerId: string, stamp: string): Promise<void> {
    return this.peer.call('heads.remember', sessionId, ownerId, stamp);
  }
  peek(sessionId: string, userId: string, taskId?: string): Promise<HeadPeek> {
    return this.peer.call('heads.peek', sessionId, userId, taskId);
  }
  stamp(sessionId: string): Promise<string> {
    return this.peer.call('heads.stamp', sessionId);
  }
  forget(sessionId: string): Promise<void> {
    return this.peer.call('heads.forget', sessionId);
  }
  forgetAll(): Promise<void> {
    return this.peer.call('heads.forgetAll');
  }
  release(sessionId: string, taskId: string): Promise<void> {
    return this.peer.call('heads.release', sessionId, taskId);
  }
}

/** The transport a turn thread's runtime is built on; `heads` when the main thread keeps them. */
export function threadTransport(peer: PortPeer, worker: ThreadTurnWorker, heads: boolean): Transport {
  return {
    kind: 'in-process',
    queue: new MainThreadQueue(peer),
    createWorker: async () => worker,
    bus: new MainThreadBus(peer),
    ...(heads ? { heads: new MainThreadHeads(peer) } : {}),
    // Requests are limited where they arrive, on the main thread; these only fill the shape.
    rateLimiter: new InMemoryRateLimiter(),
    socketSlots: new InMemorySocketSlots(),
    ping: () => peer.call('ping'),
    close: async () => undefined,
  };
}
