/**
 * The HTTP request a piece of work runs for, carried through async calls (AsyncLocalStorage), so
 * the audit log can name the request without every service taking it as a parameter.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<{ requestId: string }>();

/** Run `fn` as part of request `requestId`. */
export function inRequest<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

/** The current request's id, if the work runs for one. */
export function currentRequestId(): string | null {
  return scope.getStore()?.requestId ?? null;
}
