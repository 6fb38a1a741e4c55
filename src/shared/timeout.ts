/**
 * Waiting for something, but not forever: the one race against a timer that shutdown, readiness
 * checks, cancellation and the SSE keepalive all need. APIs that take an AbortSignal get
 * `AbortSignal.timeout` instead; this is for promises that cannot be aborted.
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface TimeoutOptions {
  /**
   * Whether the pending timer keeps the process alive (default false: shutdown paths must not be
   * held open by their own time limit). True where the timeout's action must still happen, such
   * as stopping a thread that did not exit.
   */
  ref?: boolean;
}

/** Handed to a cancelled timer: it settles nothing, and nothing waits on it. */
const NEVER = new Promise<never>(() => undefined);

/**
 * Settles as `promise` does, or, if `ms` pass first, with what `onTimeout` returns (or throws).
 * The timer is cleared as soon as the race is decided, so a wait that ended leaves nothing behind.
 */
export async function withTimeout<T, U = never>(promise: PromiseLike<T>, ms: number, onTimeout: () => U | PromiseLike<U>, options: TimeoutOptions = {}): Promise<T | U> {
  const cancel = new AbortController();
  const timedOut = delay(Math.max(0, ms), undefined, { signal: cancel.signal, ref: options.ref ?? false }).then(onTimeout, () => NEVER);
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    cancel.abort();
  }
}
