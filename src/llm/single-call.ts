/**
 * Single-call mode: one structured model call per turn writes the passage and the decision
 * (`{"narration": …, "decision": …}`), for providers and budgets where two calls cost too much.
 * It is exposed as the same Narrator and Judge ports, so the turn pipeline does not change:
 *   - the narrator streams the call and forwards the growing `narration` string as deltas;
 *   - the judge answers from the same call's `decision` (paired by the turn's context object);
 *     a repair, or a turn whose single call left no usable decision, goes to a separate judge
 *     call on the same model, so garbage still gets one repair and then the fallback judge.
 * @module
 */
import type { SharedV3ProviderOptions } from '@ai-sdk/provider';
import { Output, parsePartialJson, streamText, type LanguageModel } from 'ai';
import { z } from 'zod';
import { decisionSchema } from '../domain/decision.js';
import type { Judge, ModelCallInfo, NarrationStream, Narrator, TurnContext } from '../domain/ports/models.js';
import { callLimits } from './call-limits.js';
import { buildContext, DEFAULT_CONTEXT_BUDGETS } from './context/index.js';
import { createJudge } from './judge.js';
import { toModelError } from './model-errors.js';
import { offlineProviderOptions } from './offline/offline-call.js';
import { noteStreamPart } from './stream-parts.js';

/** Built once (the JSON Schema is computed when the spec is created). */
const TURN_OUTPUT = Output.object({
  schema: z.object({ narration: z.string(), decision: decisionSchema }),
  name: 'turn',
  description: 'The next passage of the story, then what happened in story terms',
});

export interface SingleCallOptions {
  model: Exclude<LanguageModel, string>;
  /** Passage plus decision. Default 1200. */
  maxOutputTokens?: number;
  temperature?: number;
  style?: string;
  contextBudgetTokens?: number;
  providerOptions?: SharedV3ProviderOptions;
  firstTokenTimeoutMs?: number;
  timeoutMs?: number;
  /** Timeout of a separate judge call (repairs). */
  judgeTimeoutMs?: number;
}

/** What the single call left for the judge: the decision object as the model wrote it, if any. */
interface Pending {
  raw: unknown;
  info: ModelCallInfo;
}

/** The `narration` field of a partial JSON reply, once there is one. */
async function narrationSoFar(json: string): Promise<string | undefined> {
  const { value } = await parsePartialJson(json);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const narration = (value as Record<string, unknown>).narration;
  return typeof narration === 'string' ? narration : undefined;
}

export function createSingleCallModels(options: SingleCallOptions): { narrator: Narrator; judge: Judge } {
  const { model, maxOutputTokens = 1200, temperature } = options;
  // Weak: a turn that never asks for its decision (it failed while narrating) leaves nothing behind.
  const decisions = new WeakMap<TurnContext, Promise<Pending>>();
  const separateJudge = createJudge({ model, maxRetries: 0, timeoutMs: options.judgeTimeoutMs ?? 0, providerOptions: options.providerOptions });

  const narrator: Narrator = {
    narrate(context: TurnContext, opts: { signal?: AbortSignal } = {}): NarrationStream {
      const limits = callLimits(opts.signal, options.timeoutMs ?? 0, options.firstTokenTimeoutMs ?? 0);
      const signal = limits.signal;
      const built = buildContext('single', context, { budgetTokens: options.contextBudgetTokens ?? DEFAULT_CONTEXT_BUDGETS.single, style: options.style });
      const info: ModelCallInfo = {
        modelId: model.modelId,
        request: { messages: built.messages, sections: built.sections, totalTokens: built.totalTokens },
      };
      let settle!: { resolve: (info: ModelCallInfo) => void; reject: (err: unknown) => void };
      const finished = new Promise<ModelCallInfo>((resolve, reject) => {
        settle = { resolve, reject };
      });
      finished.catch(() => undefined);
      let decide!: (p: Pending) => void;
      decisions.set(context, new Promise<Pending>((resolve) => (decide = resolve)));

      async function* deltas(): AsyncGenerator<string> {
        let json = '';
        let sent = '';
        try {
          const result = streamText({
            model,
            messages: built.messages,
            allowSystemInMessages: true,
            output: TURN_OUTPUT,
            maxOutputTokens,
            temperature,
            maxRetries: 0,
            abortSignal: signal,
            providerOptions: { ...options.providerOptions, ...offlineProviderOptions('single', context) },
            onError: () => undefined,
          });
          for await (const part of result.fullStream) {
            if (part.type === 'text-delta') {
              json += part.text;
              const narration = await narrationSoFar(json);
              // Forward only what extends the text already sent (a partial parse never shrinks it).
              if (narration !== undefined && narration.length > sent.length && narration.startsWith(sent)) {
                limits.gotFirstToken();
                yield narration.slice(sent.length);
                sent = narration;
              }
            } else {
              noteStreamPart(part, info, signal);
            }
          }
          const whole = (await parsePartialJson(json)).value as { decision?: unknown } | undefined;
          // The judge validates this like any judge answer; the tokens were counted here.
          decide({ raw: whole?.decision ?? null, info: { modelId: info.modelId, inputTokens: 0, outputTokens: 0, request: info.request } });
          settle.resolve(info);
        } catch (err) {
          const mapped = toModelError(err, 'narrator', signal);
          decisions.delete(context);
          settle.reject(mapped);
          throw mapped;
        } finally {
          limits.dispose();
          settle.resolve(info);
        }
      }

      return { textStream: deltas(), finished };
    },
  };

  const judge: Judge = {
    async judge(context, narration, opts = {}) {
      const pending = opts.repair ? undefined : decisions.get(context);
      if (pending) {
        decisions.delete(context);
        const answer = await pending;
        if (answer.raw !== null && answer.raw !== undefined) return answer;
      }
      // A repair, or a single call that wrote no decision: ask for one on its own.
      return separateJudge.judge(context, narration, opts);
    },
  };

  return { narrator, judge };
}
