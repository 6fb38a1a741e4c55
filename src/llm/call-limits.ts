import { DramaError } from '../domain/errors.js';

export interface CallLimits {
  /** Aborts on the caller's signal, the total timeout, or a missing first token. */
  signal: AbortSignal | undefined;
  /** Stop the first-token timer. */
  gotFirstToken(): void;
  dispose(): void;
}

/**
 * Time limits for one model call. A timeout aborts with a retryable `model_unavailable` error as
 * the reason, which is what the caller then sees (a hung provider fails the turn, never hangs it).
 */
export function callLimits(external: AbortSignal | undefined, totalMs: number, firstTokenMs: number): CallLimits {
  if (totalMs <= 0 && firstTokenMs <= 0) return { signal: external, gotFirstToken: () => undefined, dispose: () => undefined };
  const controller = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const arm = (ms: number, what: string) => {
    const timer = setTimeout(() => controller.abort(new DramaError('model_unavailable', `The model ${what} (${ms} ms)`, { retryable: true, details: { timeoutMs: ms } })), ms);
    timers.push(timer);
    return timer;
  };
  if (totalMs > 0) arm(totalMs, 'took too long');
  const firstToken = firstTokenMs > 0 ? arm(firstTokenMs, 'sent no first token in time') : undefined;
  return {
    signal: external ? AbortSignal.any([external, controller.signal]) : controller.signal,
    gotFirstToken: () => firstToken && clearTimeout(firstToken),
    dispose: () => timers.forEach(clearTimeout),
  };
}
