/**
 * Getting a usable decision out of the judge: its answer is validated against the story; an
 * unusable one gets one repair request (the problems sent back); if that fails too, the fallback
 * judge (offline) decides when one is configured, else the turn fails without touching anything.
 * @module
 */
import { validateDecision } from './decision.js';
import { isDramaError } from './errors.js';
import type { JudgeRepair } from './ports/judge.js';
import type { ModelCallInfo, TurnContext } from './ports/narrator.js';
import type { TurnDeps } from './turn-deps.js';
import type { Decision, ModelCallUsage } from './types.js';

export interface Judged {
  decision: Decision;
  calls: (ModelCallInfo & { role: ModelCallUsage['role'] })[];
  /** Raw answers in order, for the context trace. */
  answers: unknown[];
  repaired: boolean;
  fellBack: boolean;
}

function problemsOf(err: unknown): JudgeRepair['problems'] | null {
  if (!isDramaError(err) || (err.code !== 'judge_invalid_decision' && err.code !== 'model_output_invalid')) return null;
  if (Array.isArray(err.details)) return err.details as JudgeRepair['problems'];
  return [{ path: '', message: err.message }];
}

export async function decide(deps: Pick<TurnDeps, 'judge' | 'fallbackJudge'>, context: TurnContext, narration: string, signal: AbortSignal, writable: TurnContext['writableVariables']): Promise<Judged> {
  const out: Judged = { decision: null as never, calls: [], answers: [], repaired: false, fellBack: false };
  let repair: JudgeRepair | undefined;
  let lastError: unknown;
  for (const role of ['judge', 'judge-repair'] as const) {
    // What the judge answered this round: its object, or (when it was not even valid JSON of the
    // schema) the raw text the model error carries.
    let answer: unknown = null;
    try {
      const judged = await deps.judge.judge(context, narration, { signal, ...(repair ? { repair } : {}) });
      out.calls.push({ ...judged.info, role });
      out.answers.push((answer = judged.raw));
      out.decision = validateDecision(judged.raw, context.choices, writable);
      out.repaired = role === 'judge-repair';
      return out;
    } catch (err) {
      const problems = problemsOf(err);
      if (!problems) throw err;
      lastError = err;
      answer ??= (err as { details?: { text?: string } }).details?.text ?? null;
      repair = { previous: answer, problems };
    }
  }
  if (!deps.fallbackJudge) throw lastError;
  const fallback = await deps.fallbackJudge.judge(context, narration, { signal });
  out.calls.push({ ...fallback.info, role: 'judge-fallback' });
  out.answers.push(fallback.raw);
  out.decision = validateDecision(fallback.raw, context.choices, writable);
  out.fellBack = true;
  return out;
}
