/**
 * Replays of a session's recorded turns (replay.ts) and replay bundles: one JSON file with the
 * story versions the turns played and their recordings — no user ids, no secrets — that
 * `mock-drama replay bundle.json` re-runs with no server, database or network.
 * Replays read only: the session is never changed.
 * @module
 */
import { DramaError } from './errors.js';
import { loadStoryRuntime } from './load-story.js';
import type { StoryEngine } from './ports/story-engine.js';
import { replayRecordings, type ReplayReport } from './replay.js';
import type { TurnRecording } from './turn-recording.js';
import { replayWhatIf, type WhatIfReport } from './replay-what-if.js';
import type { TurnDeps } from './turn-deps.js';
import type { WritableVariable } from './types.js';

export const BUNDLE_FORMAT = 'mock-drama.replay-bundle@1';

export interface ReplayBundle {
  format: typeof BUNDLE_FORMAT;
  /** The compiled story versions the turns played, by hash. */
  stories: { storyId: string; hash: string; versionNo: number | null; compiledJson: string; writableVariables: WritableVariable[] }[];
  turns: TurnRecording[];
}

export interface ReplayRange {
  from?: number;
  to?: number;
  /** Refuse a range of more recorded turns than this (a request re-runs them in the web process); absent = no limit. */
  maxTurns?: number;
}

function checkRange(range: ReplayRange): void {
  for (const [name, n] of Object.entries(range)) {
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new DramaError('bad_request', `${name} must be a turn number (1 or more)`, { details: [{ path: name, message: 'an integer ≥ 1' }] });
  }
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) throw new DramaError('bad_request', 'from must not be after to', { details: [{ path: 'from', message: 'at most `to`' }] });
}

/** The recorded turns of a session in the range (turns played before recording existed are left out). */
export async function sessionRecordings(deps: Pick<TurnDeps, 'store'>, sessionId: string, range: ReplayRange): Promise<TurnRecording[]> {
  const { maxTurns, ...turns } = range;
  checkRange(turns);
  const rows = await deps.store.turns.recordings(sessionId, turns);
  const recordings = rows.flatMap((r) => (r.recording ? [r.recording] : []));
  if (maxTurns && recordings.length > maxTurns) {
    throw new DramaError('bad_request', `That range holds ${recordings.length} recorded turns; replay at most ${maxTurns} per request (narrow it with from and to)`, {
      details: { turns: recordings.length, limit: maxTurns },
    });
  }
  return recordings;
}

/** Replay a session's recorded turns against the story versions they played. */
export async function replaySession(deps: Pick<TurnDeps, 'store' | 'engine'>, sessionId: string, range: ReplayRange): Promise<ReplayReport> {
  const recordings = await sessionRecordings(deps, sessionId, range);
  return replayRecordings(recordings, { runtime: (storyId, hash) => loadStoryRuntime(deps, storyId, hash) });
}

/** The bundle of a session's recorded turns. */
export async function replayBundle(deps: Pick<TurnDeps, 'store'>, sessionId: string): Promise<ReplayBundle> {
  const turns = await sessionRecordings(deps, sessionId, {});
  const stories: ReplayBundle['stories'] = [];
  for (const hash of new Set(turns.map((t) => t.storyVersion))) {
    const storyId = turns.find((t) => t.storyVersion === hash)!.storyId;
    const v = await deps.store.stories.getVersion(storyId, hash);
    if (v) stories.push({ storyId, hash, versionNo: v.versionNo ?? null, compiledJson: v.compiledJson, writableVariables: v.writableVariables });
  }
  return { format: BUNDLE_FORMAT, stories, turns };
}

/** Replay a bundle with nothing but a story engine: no store, no models. */
export async function replayFromBundle(engine: StoryEngine, bundle: ReplayBundle): Promise<ReplayReport> {
  if (bundle?.format !== BUNDLE_FORMAT || !Array.isArray(bundle.turns) || !Array.isArray(bundle.stories)) {
    throw new DramaError('bad_request', `not a replay bundle (format ${BUNDLE_FORMAT})`);
  }
  return replayRecordings(bundle.turns, {
    async runtime(storyId, hash) {
      const v = bundle.stories.find((s) => s.hash === hash);
      if (!v) throw new DramaError('story_not_found', `the bundle has no story version ${hash}`);
      return engine.open({ storyId, hash, compiledJson: v.compiledJson, writableVariables: v.writableVariables });
    },
  });
}

/** Who asks for a replay: the session's owner, or an admin (any session). */
export interface ReplayViewer {
  userId: string;
  admin: boolean;
}

/** Throws `session_not_found` unless the viewer owns the session or is an admin. */
export async function assertReplayAccess(access: { deps: Pick<TurnDeps, 'store'>; getSession(ownerId: string, sessionId: string): Promise<unknown> }, viewer: ReplayViewer, sessionId: string): Promise<void> {
  if (!viewer.admin) {
    await access.getSession(viewer.userId, sessionId);
    return;
  }
  if (sessionId.includes('\u0000') || !(await access.deps.store.sessions.getSession(sessionId))) throw new DramaError('session_not_found', `Session ${sessionId} not found`);
}

/** What a what-if replay changes: another story version (number or hash), and/or today's models. */
export interface WhatIfOptions {
  storyVersion?: string;
  live?: boolean;
}

/** A what-if replay of a session's recorded turns (replay-what-if.ts). */
export async function whatIfSession(deps: TurnDeps, sessionId: string, range: ReplayRange, opts: WhatIfOptions): Promise<WhatIfReport> {
  const recordings = await sessionRecordings(deps, sessionId, range);
  const first = recordings[0];
  if (!first) throw new DramaError('not_found', `Session ${sessionId} has no recorded turns in that range`);
  const wanted = opts.storyVersion;
  let runtime;
  if (wanted === undefined) runtime = await loadStoryRuntime(deps, first.storyId, first.storyVersion);
  else {
    const version = /^\d+$/.test(wanted) ? await deps.store.stories.getVersionByNumber(first.storyId, Number(wanted)) : await deps.store.stories.getVersion(first.storyId, wanted);
    if (!version) throw new DramaError('story_not_found', `The session's story has no version ${wanted}`);
    runtime = deps.engine.open(version);
  }
  const live = opts.live ? { narrator: deps.narrator, judge: deps.judge, embedder: deps.embedder, ...(deps.fallbackJudge ? { fallbackJudge: deps.fallbackJudge } : {}) } : undefined;
  return replayWhatIf(recordings, runtime, live);
}
