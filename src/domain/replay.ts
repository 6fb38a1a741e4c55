/**
 * Deterministic replay: re-run recorded turns through the same pipeline (playLoaded) with
 * "recorded" model and embedder ports that give back the recorded answers, and a store that writes
 * nothing but keeps the would-be commit. The result is compared with what the turn committed.
 * Pure: no database, no network; the story runtime comes from the caller.
 * @module
 */
import { DramaError, type DramaErrorCode } from './errors.js';
import type { Judge } from './ports/judge.js';
import type { StoryRuntime } from './ports/story-engine.js';
import type { TurnCommit } from './ports/turn-store.js';
import { playLoaded } from './run-turn.js';
import type { RecordedJudgeCall, RecordedOutcome, TurnRecording } from './turn-recording.js';
import type { TurnDeps } from './turn-deps.js';
import type { SessionRecord } from './types.js';

export interface Divergence {
  turn: number;
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface ReplayReport {
  turns: number;
  identical: boolean;
  first_divergence: Divergence | null;
}

/** Where the pieces of a replay come from. */
export interface ReplaySource {
  /** The runtime of a story version (by hash). */
  runtime(storyId: string, hash: string): Promise<StoryRuntime>;
}

function recordedJudge(calls: RecordedJudgeCall[], role: string): Judge {
  let next = 0;
  return {
    async judge() {
      const call = calls[next++];
      if (!call) throw new DramaError('model_unavailable', `the recording has no ${role} answer #${next}`);
      if ('error' in call) throw new DramaError(call.error.code as DramaErrorCode, call.error.message, { details: call.error.details });
      return { raw: call.raw, info: call.info };
    },
  };
}

/** Model ports answering from a recording, in the order the turn asked. */
export function recordedRoles(rec: TurnRecording): Pick<TurnDeps, 'narrator' | 'judge' | 'fallbackJudge' | 'embedder'> {
  let embeds = 0;
  const [modelId = 'recorded', dims = '0'] = rec.config.embedder.split('@');
  return {
    narrator: {
      async narrate(_context, opts) {
        for (const delta of rec.narrator.deltas) opts.onText(delta);
        return rec.narrator.info ?? { modelId: 'recorded' };
      },
    },
    judge: recordedJudge(rec.judge, 'judge'),
    ...(rec.fallback.length > 0 ? { fallbackJudge: recordedJudge(rec.fallback, 'fallback judge') } : {}),
    embedder: {
      modelId,
      dimensions: Number(dims),
      async embed(texts) {
        const vectors = rec.embeds[embeds++];
        if (!vectors || vectors.length !== texts.length) throw new DramaError('model_unavailable', 'the recording has no matching embedder answer');
        return vectors;
      },
    },
  };
}

const noop = () => undefined;

/** Deps that run a turn without side effects: the commit is kept, not written. */
function sandboxDeps(rec: TurnRecording, roles: Pick<TurnDeps, 'narrator' | 'judge' | 'fallbackJudge' | 'embedder'>, commits: TurnCommit[]): TurnDeps {
  const refuse = () => {
    throw new DramaError('internal', 'a replay reads nothing from the store');
  };
  const turns = new Proxy({} as TurnDeps['store']['turns'], {
    get: (_t, name) => (name === 'commitTurn' ? async (c: TurnCommit) => (commits.push(c), { result: c.result, duplicate: false }) : refuse),
  });
  return {
    store: { turns } as TurnDeps['store'],
    engine: null as never,
    ...roles,
    bus: { publish: async () => undefined, subscribe: async () => noop } as unknown as TurnDeps['bus'],
    clock: { now: () => 0, monotonic: () => 0 } as unknown as TurnDeps['clock'],
    logger: { info: noop, warn: noop, error: noop, debug: noop, child: () => null } as unknown as TurnDeps['logger'],
    settings: { historyTurns: rec.config.historyTurns, memoryTopK: rec.config.memoryTopK, narrationFlushMs: 0 },
  };
}

/** Re-run one recorded turn on `runtime` with `roles` (default: the recorded answers); what it would commit. */
export async function rerunTurn(rec: TurnRecording, runtime: StoryRuntime, roles = recordedRoles(rec), before = rec.before): Promise<RecordedOutcome> {
  const commits: TurnCommit[] = [];
  const deps = sandboxDeps(rec, roles, commits);
  const session = { id: 'replay', ownerId: 'replay', storyId: rec.storyId, storyVersion: runtime.hash, inkState: before.inkState, turnNo: before.turnNo, version: 0, status: 'active', view: before.view, createdAt: new Date(0), updatedAt: new Date(0) } satisfies SessionRecord;
  const context = { ...rec.context, storyText: before.view.text, choices: before.view.choices, variables: before.view.variables, writableVariables: runtime.writableVariables };
  const loaded = { session, runtime, context, summaryThroughTurn: 0, owner: { settings: null, keys: [] } };
  const job = { sessionId: 'replay', taskId: `replay-${rec.turnNo}`, ownerId: 'replay', input: rec.input, action: rec.action, enqueuedAt: 0 };
  await playLoaded(deps, job, { attempt: 1, finalAttempt: true, signal: new AbortController().signal }, loaded, { queueWait: 0, mark: () => 0 });
  const c = commits[0];
  const recording = c?.recording;
  if (!c || !recording) throw new DramaError('internal', `turn ${rec.turnNo} did not reach its commit on replay`);
  return recording.outcome;
}

/** The first place two JSON values differ, as a dotted path under `field`. */
export function firstDifference(field: string, expected: unknown, actual: unknown): { field: string; expected: unknown; actual: unknown } | null {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return null;
  if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null && Array.isArray(expected) === Array.isArray(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    for (const key of keys) {
      const inner = firstDifference(`${field}.${key}`, (expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key]);
      if (inner) return inner;
    }
  }
  return { field, expected: expected ?? null, actual: actual ?? null };
}

/** The fields compared, in the order a turn produces them. */
const FIELDS = [
  ['narration', 'narration'],
  ['decision', 'decision'],
  ['ink_state', 'inkState'],
  ['view', 'view'],
  ['memories', 'memories'],
  ['events', 'events'],
] as const;

/** Compare a replayed outcome with the recorded one: the first difference, if any. */
export function compareOutcome(turn: number, expected: RecordedOutcome, actual: RecordedOutcome): Divergence | null {
  for (const [field, key] of FIELDS) {
    const diff = firstDifference(field, key === 'inkState' ? JSON.parse(expected[key]) : expected[key], key === 'inkState' ? JSON.parse(actual[key]) : actual[key]);
    if (diff) return { turn, ...diff };
  }
  return null;
}

/** Replay recorded turns (in turn order) and report the first divergence. */
export async function replayRecordings(recordings: TurnRecording[], source: ReplaySource): Promise<ReplayReport> {
  for (const rec of recordings) {
    const runtime = await source.runtime(rec.storyId, rec.storyVersion);
    let actual: RecordedOutcome;
    try {
      actual = await rerunTurn(rec, runtime);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { turns: recordings.length, identical: false, first_divergence: { turn: rec.turnNo, field: 'error', expected: null, actual: message } };
    }
    const divergence = compareOutcome(rec.turnNo, rec.outcome, actual);
    if (divergence) return { turns: recordings.length, identical: false, first_divergence: divergence };
  }
  return { turns: recordings.length, identical: true, first_divergence: null };
}
