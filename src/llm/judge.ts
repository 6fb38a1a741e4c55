/**
 * The Judge port on the AI SDK: asks any language model for a structured decision shaped by
 * `decisionSchema`. The SDK parses and schema-checks the reply; story rules (offered choices,
 * writable variables) are the domain's job in `validateDecision`.
 * @module
 */
import type { SharedV3ProviderOptions } from '@ai-sdk/provider';
import { generateText, Output, type LanguageModel } from 'ai';
import { decisionSchema } from '../domain/decision.js';
import type { Judge, JudgeRepair, ModelCallInfo, TurnContext } from '../domain/ports/models.js';
import { countTokens } from '../shared/text.js';
import { callLimits } from './call-limits.js';
import { appendSection, buildContext, DEFAULT_CONTEXT_BUDGETS, type BuiltContext } from './context/index.js';
import { toModelError } from './model-errors.js';
import { modelTelemetry } from './model-telemetry.js';
import { offlineProviderOptions } from './offline/offline-call.js';

/** Sent on the second try: what was wrong with the first answer. The answer itself is data. */
function repairSection(repair: JudgeRepair): string {
  const problems = repair.problems.map((p) => `- ${p.path || '(answer)'}: ${p.message}`).join('\n');
  const previous = typeof repair.previous === 'string' ? repair.previous : JSON.stringify(repair.previous);
  return [
    '<rejected_answer>',
    (previous ?? 'null').slice(0, 4000).replace(/<\/?rejected_answer/gi, '‹rejected_answer'),
    '</rejected_answer>',
    'Your previous answer (above) was rejected for these reasons:',
    problems,
    'Answer again with one corrected JSON decision. Use only choice indexes listed in choices_on_offer and only writable variables with their declared types.',
  ].join('\n');
}

/** Built once: converting the zod schema to JSON Schema on every call showed up in profiles. */
const DECISION_OUTPUT = Output.object({ schema: decisionSchema, name: 'decision', description: 'What happened this turn in story terms' });

/** Options for {@link createJudge}. */
export interface JudgeOptions {
  /** Any AI SDK language model object (not a gateway id string). */
  model: Exclude<LanguageModel, string>;
  /** Default 800: room for a decision with a few memories, not for an essay. */
  maxOutputTokens?: number;
  /** Unset by default; some reasoning models reject a temperature. */
  temperature?: number;
  /** SDK-level retries with backoff. Default 1: a judge call is short and the narration already streamed. */
  maxRetries?: number;
  /** Extra provider options, merged under the offline key. */
  providerOptions?: SharedV3ProviderOptions;
  /** Fail the call after this many ms (0 = no limit). */
  timeoutMs?: number;
  /** Token budget (estimate) for the whole prompt, repair included. Default {@link DEFAULT_CONTEXT_BUDGETS}.judge. */
  contextBudgetTokens?: number;
  /** Trace each call under this name (AI SDK telemetry; tracing on). Unset: no spans. */
  traceAs?: string;
}

/** The judge's context; on a repair the repair request is appended, its tokens reserved in the budget. */
function judgeContext(context: TurnContext, narration: string, budgetTokens: number, repair: JudgeRepair | undefined): BuiltContext {
  const extra = repair ? repairSection(repair) : '';
  const built = buildContext('judge', context, { budgetTokens: budgetTokens - countTokens(extra), narration });
  return repair ? appendSection(built, 'repair', extra) : built;
}

/**
 * Create a Judge. Resolves to `{ raw, info }` where `raw` already matches `decisionSchema`.
 * @throws DramaError `model_output_invalid` (not retryable) when the reply is not JSON of that
 *   shape; `model_unavailable` when the call fails; the abort reason when aborted.
 */
export function createJudge(options: JudgeOptions): Judge {
  const { model, maxOutputTokens = 800, temperature, maxRetries = 1 } = options;
  return {
    async judge(context: TurnContext, narration: string, opts: { signal?: AbortSignal; repair?: JudgeRepair } = {}) {
      const built = judgeContext(context, narration, options.contextBudgetTokens ?? DEFAULT_CONTEXT_BUDGETS.judge, opts.repair);
      const limits = callLimits(opts.signal, options.timeoutMs ?? 0, 0);
      try {
        const result = await generateText({
          model,
          // Our own system message, in `messages` to keep its prompt-cache marker (see narrator.ts).
          messages: built.messages,
          allowSystemInMessages: true,
          output: DECISION_OUTPUT,
          maxOutputTokens,
          temperature,
          maxRetries,
          abortSignal: limits.signal,
          providerOptions: { ...options.providerOptions, ...offlineProviderOptions('judge', context, narration) },
          experimental_telemetry: modelTelemetry(options.traceAs),
        });
        const info: ModelCallInfo = {
          modelId: result.response.modelId || model.modelId,
          inputTokens: result.usage.inputTokens,
          outputTokens: result.usage.outputTokens,
          cachedInputTokens: result.usage.inputTokenDetails?.cacheReadTokens,
          request: { messages: built.messages, sections: built.sections, totalTokens: built.totalTokens },
        };
        // Reading `output` throws NoOutputGeneratedError when the model stopped without text.
        return { raw: result.output as unknown, info };
      } catch (err) {
        throw toModelError(err, 'judge', limits.signal);
      } finally {
        limits.dispose();
      }
    },
  };
}
