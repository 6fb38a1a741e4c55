/**
 * Retries of one model call, per model: inside a fallback chain, a 429 or 5xx first waits and
 * retries the same model (honouring Retry-After), and only then falls back to the next one.
 * Only the call is retried, never a stream that already started producing text.
 * @module
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { APICallError } from 'ai';
import { wrapModel } from './wrap-model.js';

export interface RetryOptions {
  maxRetries: number;
  /** First backoff when the provider gives no Retry-After (doubles each time). */
  initialDelayMs?: number;
  /** Never wait longer than this for one retry, whatever the provider asks. */
  maxDelayMs?: number;
}

/** The delay a provider asked for: `retry-after-ms`, or `retry-after` in seconds or as a date. */
export function retryAfterMs(headers: Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers['retry-after-ms']);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers['retry-after'];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

export function withRetries(model: LanguageModelV3, options: RetryOptions): LanguageModelV3 {
  const initial = options.initialDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  async function attempt<T>(signal: AbortSignal | undefined, call: () => PromiseLike<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await call();
      } catch (err) {
        if (retry >= options.maxRetries || !APICallError.isInstance(err) || !err.isRetryable || signal?.aborted) throw err;
        await sleep(Math.min(cap, retryAfterMs(err.responseHeaders) ?? initial * 2 ** retry), signal);
      }
    }
  }
  return wrapModel(model, {
    doGenerate: (o) => attempt(o.abortSignal, () => model.doGenerate(o)),
    doStream: (o) => attempt(o.abortSignal, () => model.doStream(o)),
  });
}
