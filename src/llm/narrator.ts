/**
 * The Narrator port: streams the next passage from any chat model, offline or remote, forwarding
 * each delta as it is parsed (see chat/chat-model.ts for why there is no `streamText` here).
 * @module
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { ModelCallInfo, Narrator, TurnContext } from '../domain/ports/narrator.js';
import { callLimits } from './call-limits.js';
import { toChatModel } from './chat/from-language-model.js';
import type { ChatModel } from './chat/chat-model.js';
import { buildContext, DEFAULT_CONTEXT_BUDGETS } from './context/index.js';
import { toModelError } from './model-errors.js';
import { traceModelCall } from './model-telemetry.js';
import { offlineCallOf } from './offline/offline-call.js';
import { tunedCall } from './tuning.js';

/** Options for {@link createNarrator}. */
export interface NarratorOptions {
  /** A chat model, or any AI SDK language model object (adapted). */
  model: ChatModel | LanguageModelV3;
  /** Cap on the passage length. Default 400. */
  maxOutputTokens?: number;
  temperature?: number;
  /** House style for the system prompt, e.g. "terse, gothic". */
  style?: string;
  /** Token budget (estimate) for the whole prompt. Default {@link DEFAULT_CONTEXT_BUDGETS}.narrator. */
  contextBudgetTokens?: number;
  /** Fail the call when no text arrives within this many ms (0 = no limit). */
  firstTokenTimeoutMs?: number;
  /** Fail the call when the whole passage takes longer (0 = no limit). */
  timeoutMs?: number;
  /** Trace each call under this name (spans, tracing on). Unset: no spans. */
  traceAs?: string;
}

/**
 * Create a Narrator. `narrate` resolves once the passage is complete, and rejects with
 * `model_unavailable` (retryable) for transport failures and with the abort reason on abort.
 * Retries of a failed call happen per model inside its chain (create-models.ts), never here: a
 * retry after deltas were forwarded would repeat text on the player's screen.
 */
export function createNarrator(options: NarratorOptions): Narrator {
  const model = toChatModel(options.model);
  return {
    async narrate(context: TurnContext, opts): Promise<ModelCallInfo> {
      const { maxOutputTokens, temperature, style } = tunedCall({ maxOutputTokens: options.maxOutputTokens ?? 400, temperature: options.temperature, style: options.style }, opts.tuning);
      const limits = callLimits(opts.signal, options.timeoutMs ?? 0, options.firstTokenTimeoutMs ?? 0);
      const built = buildContext('narrator', context, { budgetTokens: options.contextBudgetTokens ?? DEFAULT_CONTEXT_BUDGETS.narrator, style });
      const info: ModelCallInfo = {
        modelId: model.modelId,
        request: { messages: built.messages, sections: built.sections, totalTokens: built.totalTokens },
      };
      const onText = (delta: string) => {
        limits.gotFirstToken();
        opts.onText(delta);
      };
      try {
        const result = await traceModelCall('ai.streamText', options.traceAs, model, () =>
          model.stream(
            {
              messages: built.messages,
              maxOutputTokens,
              ...(temperature !== undefined ? { temperature } : {}),
              ...(limits.signal ? { signal: limits.signal } : {}),
              offline: () => offlineCallOf('narrator', context),
            },
            onText,
          ),
        );
        info.modelId = result.modelId;
        info.inputTokens = result.usage.inputTokens;
        info.outputTokens = result.usage.outputTokens;
        info.cachedInputTokens = result.usage.cachedInputTokens;
        return info;
      } catch (err) {
        throw toModelError(err, 'narrator', limits.signal);
      } finally {
        limits.dispose();
      }
    },
  };
}
