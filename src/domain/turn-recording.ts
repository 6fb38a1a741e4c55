/**
 * What a turn records so it can be re-run without a model (see replay.ts): the context the models
 * saw, every model and embedder answer in order (streamed deltas, judge answers and rejections,
 * repair and fallback calls), the ink state before the turn and the outcome it committed. No user
 * id and no secret goes in: the context names players only by display name, and model calls carry
 * model ids and messages, never keys.
 * @module
 */
import { isDramaError } from './errors.js';
import type { Embedder } from './ports/embedder.js';
import type { Judge } from './ports/judge.js';
import type { ModelCallInfo, Narrator, TurnContext } from './ports/narrator.js';
import type { StoryView } from './types.js';
import type { Decision, MemoryKind } from './types.js';

/** Bumped when the prompt templates change in a way that changes what models are sent. */
export const PROMPT_TEMPLATE_VERSION = 'v1';

/** One judge call: its raw answer, or the model error it ended in. */
export type RecordedJudgeCall = { raw: unknown; info: ModelCallInfo } | { error: { code: string; message: string; details?: unknown } };

/** What a turn committed, compared field by field on replay. */
export interface RecordedOutcome {
  narration: string;
  decision: Decision;
  memories: { text: string; kind: MemoryKind; importance: number; embedding: number[] }[];
  inkState: string;
  view: StoryView;
  /** The turn's events in order (narration deltas joined: their chunking depends on timing). */
  events: unknown[];
}

export interface TurnRecording {
  format: 1;
  turnNo: number;
  storyId: string;
  /** The story version hash the turn played. */
  storyVersion: string;
  promptVersion: string;
  codeVersion: string;
  /** The non-secret configuration that shaped the context. */
  config: { historyTurns: number; memoryTopK: number; embedder: string; longTermMemory: boolean };
  input: string;
  action: TurnContext['action'];
  /** The session before the turn: ink state (its random seed included), view, turn number. */
  before: { inkState: string; view: StoryView; turnNo: number; seed: number | null };
  context: TurnContext;
  narrator: { deltas: string[]; info: ModelCallInfo | null };
  judge: RecordedJudgeCall[];
  fallback: RecordedJudgeCall[];
  embeds: number[][][];
  outcome: RecordedOutcome;
}

/** The model ports of a turn, as TurnDeps carries them. */
export interface ModelRoles {
  narrator: Narrator;
  judge: Judge;
  fallbackJudge?: Judge;
  embedder: Embedder;
}

function recordJudge(judge: Judge, calls: RecordedJudgeCall[]): Judge {
  return {
    async judge(context, narration, opts) {
      try {
        const out = await judge.judge(context, narration, opts);
        calls.push({ raw: out.raw, info: out.info });
        return out;
      } catch (err) {
        if (isDramaError(err)) calls.push({ error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } });
        throw err;
      }
    },
  };
}

/** Wraps a turn's model ports and keeps every answer they give, in order. */
export class TurnRecorder {
  readonly deltas: string[] = [];
  narratorInfo: ModelCallInfo | null = null;
  readonly judgeCalls: RecordedJudgeCall[] = [];
  readonly fallbackCalls: RecordedJudgeCall[] = [];
  readonly embeds: number[][][] = [];
  readonly events: unknown[] = [];

  wrap<T extends ModelRoles>(roles: T): T {
    const { narrator, embedder, fallbackJudge } = roles;
    return {
      ...roles,
      narrator: {
        narrate: async (context, opts) => {
          const info = await narrator.narrate(context, { ...opts, onText: (d) => (this.deltas.push(d), opts.onText(d)) });
          this.narratorInfo = info;
          return info;
        },
      },
      judge: recordJudge(roles.judge, this.judgeCalls),
      ...(fallbackJudge ? { fallbackJudge: recordJudge(fallbackJudge, this.fallbackCalls) } : {}),
      embedder: {
        modelId: embedder.modelId,
        dimensions: embedder.dimensions,
        embed: async (texts, opts) => {
          const vectors = await embedder.embed(texts, opts);
          this.embeds.push(vectors);
          return vectors;
        },
      },
    };
  }

  /** Keeps an event of the turn (narration deltas are joined into one). */
  event(body: { type: string; text?: string }): void {
    const last = this.events.at(-1) as { type?: string; text?: string } | undefined;
    if (body.type === 'narration.delta' && last?.type === 'narration.delta') last.text = `${last.text ?? ''}${body.text ?? ''}`;
    else this.events.push(body.type === 'turn.started' ? { type: body.type } : { ...body });
  }
}

const SEED_KEY = '"storySeed":';

/** The ink random seed in a saved state, if it has one. */
export function inkSeed(inkState: string): number | null {
  // inkjs writes the seed near the end of its state, after every nested object (only integers
  // follow), so its last occurrence is the top-level one even if a story variable shares the
  // name; found there, the state need not be parsed whole.
  const at = inkState.lastIndexOf(SEED_KEY);
  const written = at < 0 ? null : /^-?\d+(?=[,}])/.exec(inkState.slice(at + SEED_KEY.length, at + SEED_KEY.length + 24));
  if (written) return Number(written[0]);
  try {
    const seed = (JSON.parse(inkState) as { storySeed?: unknown }).storySeed;
    return typeof seed === 'number' ? seed : null;
  } catch {
    return null;
  }
}

const SECRET_KEY = /^(api_?key|key|keys|token|access_?token|refresh_?token|secret|password|authorization|cookie|sealed)$/i;

/**
 * A JSON copy without any property whose name looks like a secret (defence in depth: none should
 * be there). Walked by hand rather than as a JSON round trip with a reviver, which cost the worker
 * more than the rest of the recording: the result serializes exactly as the round trip's would.
 */
export function withoutSecrets<T>(value: T): T {
  return scrubbed(value) as T;
}

function scrubbed(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return scrubbed((json as () => unknown).call(value));
  if (Array.isArray(value)) return value.map((v) => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : scrubbed(v)));
  // No prototype: a property named `__proto__` stays a property, as JSON.parse makes it.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const v = scrubbed((value as Record<string, unknown>)[key]);
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    // What JSON writes as null (NaN and the infinities too) is kept, as the reviver kept it.
    if (v !== null && !(typeof v === 'number' && !Number.isFinite(v)) && SECRET_KEY.test(key)) continue;
    out[key] = v;
  }
  return out;
}

/** What {@link recordingOf} reads from the turn. */
export interface RecordingInput {
  recorder: TurnRecorder;
  turnNo: number;
  input: string;
  action: TurnContext['action'];
  session: { storyId: string; storyVersion: string; inkState: string; view: StoryView; turnNo: number };
  context: TurnContext;
  settings: { historyTurns: number; memoryTopK: number; codeVersion?: string };
  embedder: string;
  longTermMemory: boolean;
  outcome: Omit<RecordedOutcome, 'events'>;
}

/**
 * A model call's info as recorded: without the messages it sent, which the turn's context trace
 * keeps (they were half the recording) and a re-run rebuilds from the recorded context; scrubbed.
 */
function recordedInfo(info: ModelCallInfo): ModelCallInfo {
  const { request: _sent, ...rest } = info;
  return withoutSecrets(rest);
}

/** The recording of a turn about to be committed. */
export function recordingOf(r: RecordingInput): TurnRecording {
  const { recorder, session } = r;
  // Only the call records are scrubbed: story variables may well be called `key`.
  const scrub = (calls: RecordedJudgeCall[]) => calls.map((c) => ('info' in c ? { ...c, info: recordedInfo(c.info) } : c));
  return {
    format: 1,
    turnNo: r.turnNo,
    storyId: session.storyId,
    storyVersion: session.storyVersion,
    promptVersion: PROMPT_TEMPLATE_VERSION,
    codeVersion: r.settings.codeVersion ?? 'unknown',
    config: { historyTurns: r.settings.historyTurns, memoryTopK: r.settings.memoryTopK, embedder: r.embedder, longTermMemory: r.longTermMemory },
    input: r.input,
    action: r.action,
    before: { inkState: session.inkState, view: session.view, turnNo: session.turnNo, seed: inkSeed(session.inkState) },
    context: r.context,
    narrator: { deltas: recorder.deltas, info: recorder.narratorInfo && recordedInfo(recorder.narratorInfo) },
    judge: scrub(recorder.judgeCalls),
    fallback: scrub(recorder.fallbackCalls),
    embeds: recorder.embeds,
    outcome: { ...r.outcome, events: recorder.events },
  };
}
