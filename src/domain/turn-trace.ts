/**
 * The context trace a turn stores beside itself (`GET /api/sessions/:id/turns/:n/trace`): the
 * memories recalled and why, what each model call was sent and what the judge answered.
 * @module
 */
import type { Judged } from './decide.js';
import type { RecallTrace } from './ports/memory.js';
import type { ModelCallInfo, TurnContext } from './ports/narrator.js';

/** Message text kept per message in a stored trace; the section token counts still tell the full size. */
const TRACE_MESSAGE_CHARS = 20_000;

/** A call's info for the trace: the request's message texts capped, so one huge prompt cannot bloat the turn row. */
function traced<T extends ModelCallInfo>(info: T): T {
  if (!info.request || !Array.isArray(info.request.messages)) return info;
  // Well-formed UTF-16: PostgreSQL's jsonb refuses a lone surrogate, which a cut can leave behind.
  const cap = (text: string) => (text.length > TRACE_MESSAGE_CHARS ? `${text.slice(0, TRACE_MESSAGE_CHARS)}… [${text.length - TRACE_MESSAGE_CHARS} chars cut]`.toWellFormed() : text);
  const messages = (info.request.messages as { content?: unknown }[]).map((m) => ({
    ...m,
    content: typeof m.content === 'string' ? cap(m.content) : Array.isArray(m.content) ? m.content.map((p: { text?: unknown }) => (typeof p.text === 'string' ? { ...p, text: cap(p.text) } : p)) : m.content,
  }));
  return { ...info, request: { ...info.request, messages } };
}

/** The trace of a turn from what it recalled and the calls it made. */
export function turnTrace(loaded: { context: TurnContext; recallTrace?: RecallTrace }, narrator: ModelCallInfo, judged: Judged): unknown {
  const recallTrace = loaded.recallTrace;
  // Memories with the components of their score (long-term memory), else their similarity.
  const memories = recallTrace ? recallTrace.memories : loaded.context.memories.map(({ id, text, score, importance }) => ({ id, text, score, importance }));
  const recall = recallTrace
    ? { recall: { weights: recallTrace.weights, decay: recallTrace.decay, candidates: recallTrace.candidates, cards: recallTrace.cards, summaryThroughTurn: recallTrace.summaryThroughTurn ?? null } }
    : {};
  return { memories, ...recall, narrator: traced(narrator), judge: { calls: judged.calls.map(traced), answers: judged.answers } };
}
