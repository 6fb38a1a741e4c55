/**
 * A fallback chain as one model: each call goes to the first model; if it fails before producing
 * anything (unreachable, 5xx, 429 after retries), the next model gets the same call. A stream
 * that already produced text is never switched mid-way: the player would see two voices.
 * @module
 */
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { APICallError } from 'ai';
import { wrapModel } from './wrap-model.js';

function worthFallingBack(err: unknown, options: LanguageModelV3CallOptions): boolean {
  if (options.abortSignal?.aborted) return false;
  // A 400/401/404 says our request is wrong for this provider; the next one may accept it.
  if (APICallError.isInstance(err)) return true;
  return err instanceof Error && !(err.name === 'AbortError');
}

const CONTENT = new Set<LanguageModelV3StreamPart['type']>(['text-delta', 'text-start', 'tool-call', 'tool-input-start', 'finish']);

/**
 * Read ahead until the model produces content: an error before that (after the HTTP response
 * started, e.g. an overloaded event) still falls back; parts read ahead are replayed.
 */
async function primed(stream: ReadableStream<LanguageModelV3StreamPart>): Promise<ReadableStream<LanguageModelV3StreamPart>> {
  const reader = stream.getReader();
  const head: LanguageModelV3StreamPart[] = [];
  let done = false;
  for (;;) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    if (next.value.type === 'error') throw next.value.error;
    head.push(next.value);
    if (CONTENT.has(next.value.type)) break;
  }
  return new ReadableStream<LanguageModelV3StreamPart>({
    start(controller) {
      for (const part of head) controller.enqueue(part);
      if (done) controller.close();
    },
    async pull(controller) {
      const { done: end, value } = await reader.read();
      if (end) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

export function createFallbackModel(models: LanguageModelV3[], onFallback?: (from: string, to: string, err: unknown) => void): LanguageModelV3 {
  const [primary] = models;
  if (!primary) throw new Error('a fallback chain needs at least one model');
  if (models.length === 1) return primary;
  const attempt = async <T>(options: LanguageModelV3CallOptions, call: (m: LanguageModelV3) => Promise<T>): Promise<T> => {
    let lastError: unknown;
    for (const [i, model] of models.entries()) {
      try {
        return await call(model);
      } catch (err) {
        lastError = err;
        const next = models[i + 1];
        if (!next || !worthFallingBack(err, options)) throw err;
        onFallback?.(`${model.provider}:${model.modelId}`, `${next.provider}:${next.modelId}`, err);
      }
    }
    throw lastError;
  };
  return wrapModel(primary, {
    doGenerate: (options) => attempt(options, (m) => Promise.resolve(m.doGenerate(options))),
    doStream: (options) =>
      attempt(options, async (m) => {
        const result = await m.doStream(options);
        return { ...result, stream: await primed(result.stream) };
      }),
  });
}
