/**
 * The per-model retry: Retry-After in its three forms, the backoff cap, no retry once text has
 * streamed or for a non-retryable error, and an abort that ends the wait at once.
 */
import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import type { ChatModel, ChatResult } from './chat/chat-model.js';
import { retryAfterMs, withRetries } from './retrying-model.js';

const failure = (status: number, headers: Record<string, string> = {}) =>
  new APICallError({ message: `HTTP ${status}`, url: 'http://x', requestBodyValues: {}, statusCode: status, responseHeaders: headers, isRetryable: status === 429 || status >= 500 });

/** A model that fails with `errors` in order, streaming `textBeforeFailure` first, then answers. */
function flaky(errors: Error[], textBeforeFailure = '') {
  let calls = 0;
  const model: ChatModel = {
    provider: 'test',
    modelId: 'm',
    async stream(_request, onText) {
      const err = errors[calls++];
      if (textBeforeFailure) onText(textBeforeFailure);
      if (err) throw err;
      return { text: 'ok', modelId: 'm', usage: {} } satisfies ChatResult;
    },
    async generate() {
      const err = errors[calls++];
      if (err) throw err;
      return { text: 'ok', modelId: 'm', usage: {} };
    },
  };
  return { model, calls: () => calls };
}

describe('retryAfterMs', () => {
  it('reads retry-after-ms first, then Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after-ms': '50', 'retry-after': '9' })).toBe(50);
    expect(retryAfterMs({ 'retry-after': '1.5' })).toBe(1500);
    const inTwoSeconds = new Date(Date.now() + 2_000).toUTCString();
    expect(retryAfterMs({ 'retry-after': inTwoSeconds })).toBeGreaterThan(500);
    expect(retryAfterMs({ 'retry-after': inTwoSeconds })).toBeLessThanOrEqual(2_000);
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterMs({ 'retry-after-ms': '-1' })).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('withRetries', () => {
  it('waits what the provider asks, capped by maxDelayMs, then succeeds', async () => {
    const { model, calls } = flaky([failure(429, { 'retry-after-ms': '30' }), failure(503, { 'retry-after': '3600' })]);
    const started = performance.now();
    const result = await withRetries(model, { maxRetries: 2, maxDelayMs: 40 }).generate({ messages: [] });
    expect(result.text).toBe('ok');
    expect(calls()).toBe(3);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('gives up after maxRetries, and never retries a 400 or a stream that produced text', async () => {
    const tooMany = flaky([failure(500), failure(500), failure(500)]);
    await expect(withRetries(tooMany.model, { maxRetries: 1, initialDelayMs: 1 }).generate({ messages: [] })).rejects.toMatchObject({ statusCode: 500 });
    expect(tooMany.calls()).toBe(2);
    const bad = flaky([failure(400)]);
    await expect(withRetries(bad.model, { maxRetries: 2, initialDelayMs: 1 }).generate({ messages: [] })).rejects.toMatchObject({ statusCode: 400 });
    expect(bad.calls()).toBe(1);
    const midStream = flaky([failure(500)], 'Once');
    await expect(withRetries(midStream.model, { maxRetries: 2, initialDelayMs: 1 }).stream({ messages: [] }, () => undefined)).rejects.toMatchObject({ statusCode: 500 });
    expect(midStream.calls()).toBe(1);
  });

  it('stops waiting at once when the caller aborts, with the abort reason', async () => {
    const { model } = flaky([failure(429, { 'retry-after': '5' })]);
    const controller = new AbortController();
    const started = performance.now();
    const call = withRetries(model, { maxRetries: 2 }).generate({ messages: [], signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled')), 20);
    await expect(call).rejects.toThrow('cancelled');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
