/**
 * The Judge port: asks any chat model for a structured decision shaped by `decisionSchema` (sent
 * as a JSON Schema), parses and schema-checks the reply. Story rules (offered choices, writable
 * variables) are the domain's job in `validateDecision`.
 * @module
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { zodSchema } from 'ai';
import type { z } from 'zod';
import { decisionSchema } from '../domain/decision.js';
import { DramaError } from '../domain/errors.js';
import type { Judge, JudgeRepair } from '../domain/ports/judge.js';
import type { ModelCallInfo, TurnContext } from '../domain/ports/narrator.js';
import { clampChars, countTokens } from '../shared/text.js';
import { callLimits } from './call-limits.js';
import type { ChatModel, JsonOutput } from './chat/chat-model.js';
import { toChatModel } from './chat/from-language-model.js';
import { appendSection, buildContext, DEFAULT_CONTEXT_BUDGETS, type BuiltContext } from './context/index.js';
import { toModelError } from './model-errors.js';
import { traceModelCall } from './model-telemetry.js';
import { offlineCallOf } from './offline/offline-call.js';

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

/** The JSON Schema of a zod schema, as the AI SDK derives it (the same schema providers always got). */
export function jsonOutput(schema: z.ZodType, name: string, description: string): JsonOutput {
  return { name, description, schema: zodSchema(schema).jsonSchema as Record<string, unknown> };
}

/** Built once: converting the zod schema to JSON Schema on every call showed up in profiles. */
const DECISION_OUTPUT = jsonOutput(decisionSchema, 'decision', 'What happened this turn in story terms');

/**
 * The reply as JSON of `schema`, or `model_output_invalid` (not retryable) carrying the text and
 * what was wrong, which the judge's repair request sends back.
 */
export function parseStructured<T>(text: string, schema: z.ZodType<T>, role: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidOutput(role, text, `could not parse the response: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidOutput(role, text, parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; '));
  return parsed.data;
}

function invalidOutput(role: string, text: string, reason: string): DramaError {
  return new DramaError('model_output_invalid', `The ${role} model returned output that does not match the expected schema`, {
    retryable: false,
    details: { reason, text: clampChars(text, 2000, '…') },
  });
}

/** Options for {@link createJudge}. */
export interface JudgeOptions {
  /** A chat model, or any AI SDK language model object (adapted). */
  model: ChatModel | LanguageModelV3;
  /** Default 800: room for a decision with a few memories, not for an essay. */
  maxOutputTokens?: number;
  /** Unset by default; some reasoning models reject a temperature. */
  temperature?: number;
  /** Fail the call after this many ms (0 = no limit). */
  timeoutMs?: number;
  /** Token budget (estimate) for the whole prompt, repair included. Default {@link DEFAULT_CONTEXT_BUDGETS}.judge. */
  contextBudgetTokens?: number;
  /** Trace each call under this name (spans, tracing on). Unset: no spans. */
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
  const model = toChatModel(options.model);
  const { maxOutputTokens = 800, temperature } = options;
  return {
    async judge(context: TurnContext, narration: string, opts: { signal?: AbortSignal; repair?: JudgeRepair } = {}) {
      const built = judgeContext(context, narration, options.contextBudgetTokens ?? DEFAULT_CONTEXT_BUDGETS.judge, opts.repair);
      const limits = callLimits(opts.signal, options.timeoutMs ?? 0, 0);
      try {
        const result = await traceModelCall('ai.generateText', options.traceAs, model, () =>
          model.generate({
            messages: built.messages,
            json: DECISION_OUTPUT,
            maxOutputTokens,
            ...(temperature !== undefined ? { temperature } : {}),
            ...(limits.signal ? { signal: limits.signal } : {}),
            offline: () => offlineCallOf('judge', context, narration),
          }),
        );
        const info: ModelCallInfo = {
          modelId: result.modelId,
          inputTokens: result.usage.inputTokens,
          outputTokens: result.usage.outputTokens,
          cachedInputTokens: result.usage.cachedInputTokens,
          request: { messages: built.messages, sections: built.sections, totalTokens: built.totalTokens },
        };
        if (result.text.trim() === '') throw new DramaError('model_output_invalid', 'The judge model produced no output', { retryable: false, details: { reason: 'empty reply', text: '' } });
        return { raw: parseStructured(result.text, decisionSchema, 'judge') as unknown, info };
      } catch (err) {
        throw toModelError(err, 'judge', limits.signal);
      } finally {
        limits.dispose();
      }
    },
  };
}
