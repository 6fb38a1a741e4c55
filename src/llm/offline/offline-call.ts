/**
 * The contract between our ports and the offline models. Callers put the structured turn into
 * the AI SDK's `providerOptions.offline`; the SDK hands it to `doGenerate`/`doStream` untouched,
 * and real providers ignore a key that is not theirs. Without it the offline model falls back to
 * the prompt's last user message.
 * @module
 */
import type { JSONObject, LanguageModelV3CallOptions, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { z } from 'zod';
import type { TurnContext } from '../../domain/ports/narrator.js';
import type { ActionKind, Choice } from '../../domain/types.js';
import { cjkRatio } from '../../shared/text.js';

/** Which job the offline model does for a call; `single` narrates and decides in one JSON reply. */
export type OfflineRole = 'narrator' | 'judge' | 'single';

/** The part of a turn the offline models use. */
export interface OfflineTurn {
  storyTitle: string;
  storyText: string;
  choices: Choice[];
  input: string;
  action: ActionKind;
  /** Number of turns already played (history length); only used to vary the seed. */
  turnNo: number;
}

/** What an offline model call resolved to. */
export interface OfflineCall {
  role: OfflineRole;
  turn: OfflineTurn;
  narration: string;
}

/**
 * Build the `providerOptions` value that carries a turn to the offline models. The context is
 * round-tripped through JSON because provider options must be plain JSON values.
 */
export function offlineProviderOptions(role: OfflineRole, context: TurnContext, narration?: string): Record<string, JSONObject> {
  const offline: JSONObject = { role, context: JSON.parse(JSON.stringify(context)) as JSONObject };
  if (narration !== undefined) offline.narration = narration;
  return { offline };
}

/**
 * The offline call of a turn, straight from the context object: what `ChatRequest.offline` gives
 * the offline model on the hot path (no JSON round trip, no schema check: the object is ours).
 */
export function offlineCallOf(role: OfflineRole, context: TurnContext, narration?: string): OfflineCall {
  const turn: OfflineTurn = {
    storyTitle: context.storyTitle,
    storyText: context.storyText,
    choices: context.choices,
    input: context.input,
    action: context.action,
    turnNo: context.history.length,
  };
  return { role, turn, narration: narration ?? '' };
}

// Lenient on purpose: a field that is missing or malformed degrades to a default rather than
// failing the call, since the offline model is also used by hand in benchmarks and the REPL.
const turnSchema = z.object({
  storyTitle: z.string().catch(''),
  storyText: z.string().catch(''),
  choices: z.array(z.object({ index: z.number().int(), text: z.string() })).catch([]),
  input: z.string().catch(''),
  action: z.enum(['do', 'say', 'story', 'continue']).catch('do'),
  history: z.array(z.unknown()).catch([]),
});

const optionsSchema = z.object({
  role: z.enum(['narrator', 'judge', 'single']).optional().catch(undefined),
  context: z.unknown(),
  narration: z.string().optional().catch(undefined),
});

function parseContext(value: unknown): OfflineTurn | undefined {
  let raw = value;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const t = turnSchema.parse(raw);
  return { storyTitle: t.storyTitle, storyText: t.storyText, choices: t.choices, input: t.input, action: t.action, turnNo: t.history.length };
}

/** Text of the last user message, the fallback input when no structured turn was passed. */
export function lastUserText(prompt: LanguageModelV3Prompt): string {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const m = prompt[i]!;
    if (m.role === 'user') return m.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
  }
  return '';
}

/** Every text the prompt holds, for the input-token estimate. */
export function promptText(prompt: LanguageModelV3Prompt): string {
  return prompt
    .map((m) => (typeof m.content === 'string' ? m.content : m.content.map((p) => ('text' in p ? p.text : '')).join('\n')))
    .join('\n');
}

/**
 * Resolve role, turn and narration for one call. The role comes from provider options, then
 * the model's own default, then the response format (JSON output means a judge).
 */
export function readOfflineCall(options: LanguageModelV3CallOptions, defaultRole: OfflineRole | undefined): OfflineCall {
  const parsed = optionsSchema.safeParse(options.providerOptions?.offline ?? {});
  const opts = parsed.success ? parsed.data : { role: undefined, context: undefined, narration: undefined };
  const role = opts.role ?? defaultRole ?? (options.responseFormat?.type === 'json' ? 'judge' : 'narrator');
  const turn = parseContext(opts.context) ?? {
    storyTitle: '',
    storyText: '',
    choices: [],
    input: lastUserText(options.prompt),
    action: 'do',
    turnNo: 0,
  };
  return { role, turn, narration: opts.narration ?? '' };
}

/** Chinese phrasing when the player writes Chinese or the story is told in Chinese. */
export function prefersChinese(turn: OfflineTurn): boolean {
  return cjkRatio(turn.input) > 0.3 || cjkRatio(turn.storyText) > 0.3;
}
