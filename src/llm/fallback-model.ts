/**
 * A fallback chain as one model: each call goes to the first model; if it fails before producing
 * anything (unreachable, 5xx, 429 after retries), the next model gets the same call. A stream
 * that already produced text is never switched mid-way: the player would see two voices.
 * @module
 */
import { APICallError } from 'ai';
import type { ChatModel, ChatRequest, ChatResult } from './chat/chat-model.js';

function worthFallingBack(err: unknown, request: ChatRequest): boolean {
  if (request.signal?.aborted) return false;
  // A 400/401/404 says our request is wrong for this provider; the next one may accept it.
  if (APICallError.isInstance(err)) return true;
  return err instanceof Error && err.name !== 'AbortError';
}

/**
 * One model that tries `models` in order. `onFallback` hears each switch (for the log).
 * With one model, that model itself.
 */
export function createFallbackModel(models: ChatModel[], onFallback?: (from: string, to: string, err: unknown) => void): ChatModel {
  const [primary] = models;
  if (!primary) throw new Error('a fallback chain needs at least one model');
  if (models.length === 1) return primary;
  const attempt = async (request: ChatRequest, call: (m: ChatModel, produced: () => void) => Promise<ChatResult>): Promise<ChatResult> => {
    for (const [i, model] of models.entries()) {
      let producedText = false;
      try {
        return await call(model, () => (producedText = true));
      } catch (err) {
        const next = models[i + 1];
        if (!next || producedText || !worthFallingBack(err, request)) throw err;
        onFallback?.(`${model.provider}:${model.modelId}`, `${next.provider}:${next.modelId}`, err);
      }
    }
    throw new Error('unreachable');
  };
  return {
    provider: primary.provider,
    modelId: primary.modelId,
    stream: (request, onText) =>
      attempt(request, (m, produced) =>
        m.stream(request, (delta) => {
          produced();
          onText(delta);
        }),
      ),
    generate: (request) => attempt(request, (m) => m.generate(request)),
  };
}
