/**
 * Reports every call of a model (and embedder) to an observer — for metrics: which configured
 * model, which role, how it ended and how long it took. It wraps one model of a chain (outside its
 * retries), so a call that failed over to the next model counts as an error of the first one.
 * @module
 */
import type { Embedder } from '../domain/ports/embedder.js';
import type { ChatModel, ChatResult } from './chat/chat-model.js';

export type ObservedOutcome = 'ok' | 'error' | 'aborted';

/** One finished call; `ms` from the call starting to its last delta (streams) or its answer. */
export type CallObserver = (outcome: ObservedOutcome, ms: number) => void;

function outcomeOf(signal: AbortSignal | undefined): ObservedOutcome {
  return signal?.aborted ? 'aborted' : 'error';
}

async function observed(signal: AbortSignal | undefined, observe: CallObserver, call: () => Promise<ChatResult>): Promise<ChatResult> {
  const started = performance.now();
  try {
    const result = await call();
    observe('ok', performance.now() - started);
    return result;
  } catch (err) {
    observe(outcomeOf(signal), performance.now() - started);
    throw err;
  }
}

export function observeModel(model: ChatModel, observe: CallObserver): ChatModel {
  return {
    provider: model.provider,
    modelId: model.modelId,
    stream: (request, onText) => observed(request.signal, observe, () => model.stream(request, onText)),
    generate: (request) => observed(request.signal, observe, () => model.generate(request)),
  };
}

export function observeEmbedder(embedder: Embedder, observe: CallObserver): Embedder {
  return {
    modelId: embedder.modelId,
    dimensions: embedder.dimensions,
    async embed(texts, opts) {
      if (texts.length === 0) return embedder.embed(texts, opts);
      const started = performance.now();
      try {
        const vectors = await embedder.embed(texts, opts);
        observe('ok', performance.now() - started);
        return vectors;
      } catch (err) {
        observe(outcomeOf(opts?.signal), performance.now() - started);
        throw err;
      }
    },
  };
}
