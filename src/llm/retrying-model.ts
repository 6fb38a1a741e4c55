/**
 * Retries of one model call, per model: inside a fallback chain, a 429 or 5xx first waits and
 * retries the same model (honouring Retry-After), and only then falls back to the next one.
 * Only the call is retried, never a stream that already started producing text.
 *
 * Why not the AI SDK's retry: it lives in `streamText`/`generateText` (their `maxRetries`), and
 * our calls bypass those layers (chat/: direct clients and `doStream`). Its header parsing is
 * internal to `ai`, and the exported loop (@ai-sdk/provider-utils, not one of our dependencies)
 * wraps the last error in a RetryError, which the fallback chain and the error mapping would then
 * have to unwrap, and knows nothing of text already streamed.
 * @module
 */
import { APICallError } from 'ai';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatModel, ChatRequest, ChatResult } from './chat/chat-model.js';

export interface RetryOptions {
  maxRetries: number;
  /** First backoff when the provider gives no Retry-After (doubles each time). */
  initialDelayMs?: number;
  /** Never wait longer than this for one retry, whatever the provider asks. */
  maxDelayMs?: number;
}

/**
 * How long the provider asked us to wait: OpenAI's `retry-after-ms`, else the standard
 * `Retry-After` (seconds or an HTTP date). Undefined when it did not say.
 */
export function retryAfterMs(headers: Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers['retry-after'];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** `model` with up to `maxRetries` further attempts of a call that failed retryably before any text. */
export function withRetries(model: ChatModel, options: RetryOptions): ChatModel {
  const initial = options.initialDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  async function attempt(request: ChatRequest, call: (produced: () => void) => Promise<ChatResult>): Promise<ChatResult> {
    for (let retry = 0; ; retry++) {
      let producedText = false;
      try {
        return await call(() => (producedText = true));
      } catch (err) {
        if (producedText || retry >= options.maxRetries || !APICallError.isInstance(err) || !err.isRetryable || request.signal?.aborted) throw err;
        await sleep(Math.min(cap, retryAfterMs(err.responseHeaders) ?? initial * 2 ** retry), undefined, request.signal ? { signal: request.signal } : {}).catch(() => {
          throw request.signal?.reason ?? err;
        });
      }
    }
  }
  return {
    provider: model.provider,
    modelId: model.modelId,
    stream: (request, onText) =>
      attempt(request, (produced) =>
        model.stream(request, (delta) => {
          produced();
          onText(delta);
        }),
      ),
    generate: (request) => attempt(request, () => model.generate(request)),
  };
}
