/**
 * A per-provider limit on model calls in flight, shared by every turn of the process: bursts
 * queue here instead of tripping the provider's rate limits. A stream holds its slot until it
 * ends or fails.
 * @module
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { ChatModel, ChatRequest, ChatResult } from './chat/chat-model.js';

/** Calls in flight for one provider, at most `limit` at a time. */
export function createCallLimit(limit: number): LimitFunction {
  return pLimit(limit);
}

/**
 * Run `call` in a slot of `limit`. A caller whose signal aborts while it waits stops waiting at
 * once; its place in the queue then runs nothing and frees up immediately.
 */
function inSlot(limit: LimitFunction, request: ChatRequest, call: () => Promise<ChatResult>): Promise<ChatResult> {
  const signal = request.signal;
  const slot = limit(() => (signal?.aborted ? Promise.reject(signal.reason) : call()));
  if (!signal || limit.activeCount < limit.concurrency) return slot;
  slot.catch(() => undefined);
  return new Promise<ChatResult>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    slot.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `model` whose calls each take a slot of `limit` for their whole duration. */
export function limitConcurrency(model: ChatModel, limit: LimitFunction): ChatModel {
  return {
    provider: model.provider,
    modelId: model.modelId,
    stream: (request, onText) => inSlot(limit, request, () => model.stream(request, onText)),
    generate: (request) => inSlot(limit, request, () => model.generate(request)),
  };
}
