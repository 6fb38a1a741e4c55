/**
 * Stages 4–5 of a turn: advance the ink story by the decision, embed the new memories, and
 * commit everything in one transaction.
 * @module
 */
import { embeddingSpace } from './ports/embedder.js';
import type { StoryRuntime } from './ports/story-engine.js';
import type { TurnJob } from './ports/turn-queue.js';
import { stageRunner } from './ports/turn-tracer.js';
import type { TurnDeps } from './turn-deps.js';
import type { TurnContext } from './ports/narrator.js';
import { recordingOf, type TurnRecorder } from './turn-recording.js';
import type { Decision, SessionRecord, StoryView, TurnResult, TurnTimings, TurnUsage } from './types.js';

export interface Outcome {
  turnNo: number;
  narration: string;
  decision: Decision;
  timings: Partial<TurnTimings>;
  mark: () => number;
  usage: TurnUsage;
  trace: unknown;
  /** The turn's model answers so far; the recording is made from it (absent: nothing recorded). */
  recorder?: TurnRecorder;
}

/**
 * A step that takes no choice and writes no variable leaves ink where it stood: the state and the
 * view stay the session's own (a session keeps its story version; carrying it to another goes
 * through `adopt`), so ink need not load the state and save it again. That was ~0.4 ms of a
 * worker's CPU a turn, measured inside the running worker, and free actions are most turns. A view
 * saved before positions were kept is worked out again instead.
 */
function changesNothing(decision: Decision, view: StoryView): boolean {
  return decision.choiceIndex === null && decision.variableUpdates.length === 0 && (view.position !== undefined || view.ended);
}

/**
 * Stages 4–5: advance ink, embed the new memories, and commit everything in one transaction.
 * `signal` is the job's: an abort (a cancel, a shutdown) that lands after the model calls but
 * before the commit stops the turn here, so an aborted turn never commits.
 */
export async function applyAndCommit(deps: TurnDeps, job: TurnJob, loaded: { session: SessionRecord; runtime: StoryRuntime; context: TurnContext }, o: Outcome, signal: AbortSignal): Promise<{ result: TurnResult; duplicate: boolean }> {
  const { session, runtime } = loaded;
  const stage = stageRunner(deps.tracer);
  const beforeApply = o.mark();
  const snapshot = stage('apply', () =>
    changesNothing(o.decision, session.view)
      ? { state: session.inkState, view: session.view }
      : runtime.advance(session.inkState, { choiceIndex: o.decision.choiceIndex, variableUpdates: o.decision.variableUpdates }),
  );
  // With no choice taken the player still faces the same passage and choices.
  const view = o.decision.choiceIndex === null ? { ...snapshot.view, text: session.view.text, tags: session.view.tags } : snapshot.view;
  o.timings.apply = o.mark() - beforeApply;

  const beforeEmbed = o.mark();
  const vectors = o.decision.memories.length > 0 ? await stage('embed', () => deps.embedder.embed(o.decision.memories.map((m) => m.text))) : [];
  o.timings.embed = o.mark() - beforeEmbed;

  const result: TurnResult = {
    sessionId: job.sessionId,
    turnNo: o.turnNo,
    taskId: job.taskId,
    input: job.input,
    action: job.action,
    actorId: job.ownerId,
    response: o.narration,
    decision: o.decision,
    updated_state: {
      text: o.decision.choiceIndex === null ? '' : snapshot.view.text,
      tags: o.decision.choiceIndex === null ? [] : snapshot.view.tags,
      choices: view.choices,
      ended: view.ended,
      variables: view.variables,
      ...(view.position ? { position: view.position } : {}),
    },
    timings: o.timings as TurnTimings,
    usage: o.usage,
    ...traceIdOf(deps),
    createdAt: new Date(deps.clock.now()).toISOString(),
  };
  // The last moment to stop: past this the turn is committed, and a cancel comes too late.
  signal.throwIfAborted();
  // The commit adds its own database time to both (see TurnStore.commitTurn).
  o.timings.commit = 0;
  o.timings.total = o.mark();
  const memories = o.decision.memories.map((m, i) => ({ ...m, kind: 'event' as const, embedding: vectors[i] ?? [], embeddingModel: embeddingSpace(deps.embedder) }));
  const recording = o.recorder ? recordTurn(deps, job, loaded, o, { inkState: snapshot.state, view, memories }) : undefined;
  return stage('commit', () => deps.store.turns.commitTurn({
    sessionId: job.sessionId,
    expectedVersion: session.version,
    result,
    inkState: snapshot.state,
    view,
    status: view.ended ? 'ended' : 'active',
    memories,
    trace: o.trace,
    ...(recording ? { recording } : {}),
  }));
}

/** The turn's trace id, when it is traced, for the turn record. */
function traceIdOf(deps: TurnDeps): { traceId?: string } {
  const traceId = deps.tracer?.traceId();
  return traceId ? { traceId } : {};
}

type Written = { inkState: string; view: StoryView; memories: { text: string; kind: 'event'; importance: number; embedding: number[] }[] };

function recordTurn(deps: TurnDeps, job: TurnJob, loaded: { session: SessionRecord; context: TurnContext }, o: Outcome, w: Written) {
  return recordingOf({
    recorder: o.recorder!,
    turnNo: o.turnNo,
    input: job.input,
    action: job.action,
    session: loaded.session,
    context: loaded.context,
    settings: deps.settings,
    embedder: embeddingSpace(deps.embedder),
    longTermMemory: deps.memory !== undefined,
    outcome: { narration: o.narration, decision: o.decision, inkState: w.inkState, view: w.view, memories: w.memories.map(({ text, kind, importance, embedding }) => ({ text, kind, importance, embedding })) },
  });
}
