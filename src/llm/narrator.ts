/**
 * The Narrator port on the AI SDK: streams the next passage from any language model, offline or
 * remote. The structured turn also travels in `providerOptions.offline` so the offline model can
 * work from data instead of parsing the prompt; other providers ignore that key.
 * @module
 */
import type { SharedV3ProviderOptions } from '@ai-sdk/provider';
import { streamText, type LanguageModel } from 'ai';
import type { ModelCallInfo, NarrationStream, Narrator, TurnContext } from '../domain/ports/models.js';
import { callLimits } from './call-limits.js';
import { buildContext, DEFAULT_CONTEXT_BUDGETS } from './context/index.js';
import { toModelError } from './model-errors.js';
import { modelTelemetry } from './model-telemetry.js';
import { offlineProviderOptions } from './offline/offline-call.js';
import { noteStreamPart } from './stream-parts.js';

/** Options for {@link createNarrator}. */
export interface NarratorOptions {
  /** Any AI SDK language model object (not a gateway id string, which would need the network). */
  model: Exclude<LanguageModel, string>;
  /** Cap on the passage length. Default 400. */
  maxOutputTokens?: number;
  temperature?: number;
  /** House style for the system prompt, e.g. "terse, gothic". */
  style?: string;
  /** Token budget (estimate) for the whole prompt. Default {@link DEFAULT_CONTEXT_BUDGETS}.narrator. */
  contextBudgetTokens?: number;
  /**
   * SDK-level retries. Default 0: the turn queue retries whole turns, and a retry after deltas
   * were forwarded would duplicate text on the player's screen anyway.
   */
  maxRetries?: number;
  /** Extra provider options (e.g. `{ openai: { ... } }`), merged under the offline key. */
  providerOptions?: SharedV3ProviderOptions;
  /** Fail the call when no text arrives within this many ms (0 = no limit). */
  firstTokenTimeoutMs?: number;
  /** Fail the call when the whole passage takes longer (0 = no limit). */
  timeoutMs?: number;
  /** Trace each call under this name (AI SDK telemetry; tracing on). Unset: no spans. */
  traceAs?: string;
}

function modelIdOf(model: Exclude<LanguageModel, string>): string {
  return model.modelId;
}

/**
 * Create a Narrator. `textStream` is single-use; `finished` settles once `textStream` has been
 * read to the end (or the reader stopped early), and rejects with the same error the stream
 * threw: `model_unavailable` (retryable) for transport failures, the abort reason on abort.
 */
export function createNarrator(options: NarratorOptions): Narrator {
  const { model, maxOutputTokens = 400, temperature, style, maxRetries = 0 } = options;
  return {
    narrate(context: TurnContext, opts: { signal?: AbortSignal } = {}): NarrationStream {
      const limits = callLimits(opts.signal, options.timeoutMs ?? 0, options.firstTokenTimeoutMs ?? 0);
      const signal = limits.signal;
      const built = buildContext('narrator', context, { budgetTokens: options.contextBudgetTokens ?? DEFAULT_CONTEXT_BUDGETS.narrator, style });
      let settle!: { resolve: (info: ModelCallInfo) => void; reject: (err: unknown) => void };
      const finished = new Promise<ModelCallInfo>((resolve, reject) => {
        settle = { resolve, reject };
      });
      // Callers that only read textStream see the error there; this keeps an unread rejection of
      // `finished` from crashing the process as an unhandled rejection.
      finished.catch(() => undefined);
      const info: ModelCallInfo = {
        modelId: modelIdOf(model),
        request: { messages: built.messages, sections: built.sections, totalTokens: built.totalTokens },
      };

      async function* deltas(): AsyncGenerator<string> {
        try {
          const result = streamText({
            model,
            // The system message is ours (instructions + the author's guidance, never player
            // text) and goes in `messages` so it keeps its prompt-cache marker; the flag only
            // silences the SDK's warning about system messages there.
            messages: built.messages,
            allowSystemInMessages: true,
            maxOutputTokens,
            temperature,
            maxRetries,
            abortSignal: signal,
            providerOptions: { ...options.providerOptions, ...offlineProviderOptions('narrator', context) },
            experimental_telemetry: modelTelemetry(options.traceAs),
            // Errors are rethrown from the loop below; the default handler would also log them.
            onError: () => undefined,
          });
          for await (const part of result.fullStream) {
            if (part.type === 'text-delta') {
              if (part.text.length > 0) {
                limits.gotFirstToken();
                yield part.text;
              }
            } else {
              noteStreamPart(part, info, signal);
            }
          }
          settle.resolve(info);
        } catch (err) {
          const mapped = toModelError(err, 'narrator', signal);
          settle.reject(mapped);
          throw mapped;
        } finally {
          limits.dispose();
          // The reader stopped early (break/return): report what was produced so far.
          settle.resolve(info);
        }
      }

      return { textStream: deltas(), finished };
    },
  };
}
