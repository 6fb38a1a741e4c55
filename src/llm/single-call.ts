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
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { parsePartialJson } from 'ai';
import { z } from 'zod';
import { decisionSchema } from '../domain/decision.js';
import type { Judge } from '../domain/ports/judge.js';
import type { ModelCallInfo, Narrator, TurnContext } from '../domain/ports/narrator.js';
import { callLimits } from './call-limits.js';
import type { ChatModel } from './chat/chat-model.js';
import { toChatModel } from './chat/from-language-model.js';
import { buildContext, DEFAULT_CONTEXT_BUDGETS } from './context/index.js';
import { createJudge, jsonOutput } from './judge.js';
import { toModelError } from './model-errors.js';
import { offlineCallOf } from './offline/offline-call.js';
import { tunedCall } from './tuning.js';

/** Built once (the JSON Schema is computed when the spec is created). */
const TURN_OUTPUT = jsonOutput(z.object({ narration: z.string(), decision: decisionSchema }), 'turn', 'The next passage of the story, then what happened in story terms');

export interface SingleCallOptions {
  /** A chat model, or any AI SDK language model object (adapted). */
  model: ChatModel | LanguageModelV3;
  /** Passage plus decision. Default 1200. */
  maxOutputTokens?: number;
  temperature?: number;
  style?: string;
  contextBudgetTokens?: number;
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
  const model = toChatModel(options.model);
  // Weak: a turn that never asks for its decision (it failed while narrating) leaves nothing behind.
  const decisions = new WeakMap<TurnContext, Promise<Pending>>();
  const separateJudge = createJudge({ model, timeoutMs: options.judgeTimeoutMs ?? 0 });

  const narrator: Narrator = {
    async narrate(context: TurnContext, opts): Promise<ModelCallInfo> {
      const { maxOutputTokens, temperature, style } = tunedCall({ maxOutputTokens: options.maxOutputTokens ?? 1200, temperature: options.temperature, style: options.style }, opts.tuning, false);
      const limits = callLimits(opts.signal, options.timeoutMs ?? 0, options.firstTokenTimeoutMs ?? 0);
      const signal = limits.signal;
      const built = buildContext('single', context, { budgetTokens: options.contextBudgetTokens ?? DEFAULT_CONTEXT_BUDGETS.single, style });
      const info: ModelCallInfo = {
        modelId: model.modelId,
        request: { messages: built.messages, sections: built.sections, totalTokens: built.totalTokens },
      };
      let decide!: (p: Pending) => void;
      decisions.set(context, new Promise<Pending>((resolve) => (decide = resolve)));
      let json = '';
      let sent = '';
      // The JSON grows delta by delta; its narration is forwarded in order, one parse at a time.
      let forwarding: Promise<void> = Promise.resolve();
      const forward = async () => {
        const narration = await narrationSoFar(json);
        // Forward only what extends the text already sent (a partial parse never shrinks it).
        if (narration !== undefined && narration.length > sent.length && narration.startsWith(sent)) {
          limits.gotFirstToken();
          const delta = narration.slice(sent.length);
          sent = narration;
          opts.onText(delta);
        }
      };
      try {
        const result = await model.stream(
          { messages: built.messages, json: TURN_OUTPUT, maxOutputTokens, ...(temperature !== undefined ? { temperature } : {}), ...(signal ? { signal } : {}), offline: () => offlineCallOf('single', context) },
          (delta) => {
            json += delta;
            forwarding = forwarding.then(forward);
          },
        );
        await forwarding;
        info.modelId = result.modelId;
        info.inputTokens = result.usage.inputTokens;
        info.outputTokens = result.usage.outputTokens;
        info.cachedInputTokens = result.usage.cachedInputTokens;
        const whole = (await parsePartialJson(json)).value as { decision?: unknown } | undefined;
        // The judge validates this like any judge answer; the tokens were counted here.
        decide({ raw: whole?.decision ?? null, info: { modelId: info.modelId, inputTokens: 0, outputTokens: 0, request: info.request } });
        return info;
      } catch (err) {
        decisions.delete(context);
        throw toModelError(err, 'narrator', signal);
      } finally {
        limits.dispose();
      }
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
