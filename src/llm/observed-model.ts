/**
 * Reports every call of a model (and embedder) to an observer — for metrics: which configured
 * model, which role, how it ended and how long it took. It wraps one model of a chain (outside its
 * retries), so a call that failed over to the next model counts as an error of the first one.
 * @module
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Embedder } from '../domain/ports/models.js';
import { watchStream } from './watch-stream.js';
import { wrapModel } from './wrap-model.js';

export type ObservedOutcome = 'ok' | 'error' | 'aborted';

/** One finished call; `ms` from the call starting to its last part (streams) or its answer. */
export type CallObserver = (outcome: ObservedOutcome, ms: number) => void;

function outcomeOf(signal: AbortSignal | undefined): ObservedOutcome {
  return signal?.aborted ? 'aborted' : 'error';
}

export function observeModel(model: LanguageModelV3, observe: CallObserver): LanguageModelV3 {
  return wrapModel(model, {
    async doGenerate(options) {
      const started = performance.now();
      try {
        const result = await model.doGenerate(options);
        observe('ok', performance.now() - started);
        return result;
      } catch (err) {
        observe(outcomeOf(options.abortSignal), performance.now() - started);
        throw err;
      }
    },
    async doStream(options) {
      const started = performance.now();
      let result: Awaited<ReturnType<LanguageModelV3['doStream']>>;
      try {
        result = await model.doStream(options);
      } catch (err) {
        observe(outcomeOf(options.abortSignal), performance.now() - started);
        throw err;
      }
      let reported = false;
      const report = (outcome: ObservedOutcome) => {
        if (reported) return;
        reported = true;
        options.abortSignal?.removeEventListener('abort', onAbort);
        observe(outcome, performance.now() - started);
      };
      const onAbort = () => report('aborted');
      options.abortSignal?.addEventListener('abort', onAbort, { once: true });
      const stream = watchStream(
        result.stream,
        // A reader that stopped before the end hit a timeout or an abort.
        (end) => report(end === 'done' ? 'ok' : end === 'cancel' ? 'aborted' : outcomeOf(options.abortSignal)),
        (part) => part.type === 'error' && report('error'),
      );
      return { ...result, stream };
    },
  });
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
