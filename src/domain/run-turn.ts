/**
 * The turn pipeline — the design's `StoryAgent.process_input`: load, narrate (streamed), judge,
 * apply, commit once; then, once the queue has freed the session, announce. No database
 * transaction is held across a model call: the one read happens first, and the one write after
 * both model calls have finished.
 * @module
 */
import { cleanText } from './clean-text.js';
import { applyAndCommit } from './apply-and-commit.js';
import { decide } from './decide.js';
import { DeltaCoalescer } from './delta-coalescer.js';
import { cleanJob, loadTurn, type LoadedTurn } from './load-turn.js';
import type { TurnEventBody } from './ports/event-bus.js';
import type { ModelCallInfo, NarrationTuning, TurnContext } from './ports/narrator.js';
import { turnModels } from './owner-models.js';
import type { JobContext, TurnJob } from './ports/turn-queue.js';
import { stageRunner } from './ports/turn-tracer.js';
import { turnTrace } from './turn-trace.js';
import { TurnRecorder } from './turn-recording.js';
import type { CommittedTurn } from './ports/turn-worker.js';
import type { TurnDeps } from './turn-deps.js';
import { turnUsage } from './turn-usage.js';
import type { Decision, TurnResult, TurnTimings } from './types.js';

/** Model output is untrusted text too. */
function cleanDecision(d: Decision): Decision {
  return {
    ...d,
    memories: d.memories.map((m) => ({ ...m, text: cleanText(m.text) })).filter((m) => m.text.trim().length > 0),
    summary: cleanText(d.summary),
    variableUpdates: d.variableUpdates.map((u) => (typeof u.value === 'string' ? { ...u, value: cleanText(u.value) } : u)),
  };
}

/**
 * The events of one turn attempt, published in order. Each publish starts at once (deltas must
 * not wait for the previous one's round trip); `settled` waits for all of them, so
 * `turn.completed` never overtakes an earlier event of its turn.
 */
class TurnEvents {
  readonly #pending: Promise<unknown>[] = [];

  constructor(
    private readonly deps: Pick<TurnDeps, 'bus'>,
    private readonly job: TurnJob,
    private readonly turnNo: number,
    private readonly recorder?: TurnRecorder,
  ) {}

  publish(body: TurnEventBody): void {
    this.recorder?.event(body);
    this.#pending.push(this.deps.bus.publish({ ...body, sessionId: this.job.sessionId, taskId: this.job.taskId, turnNo: this.turnNo }));
  }

  settled(): Promise<unknown> {
    return Promise.all(this.#pending);
  }
}

/** Stage 2: stream the narration, forwarding deltas to the bus as they arrive (coalesced, see DeltaCoalescer). */
async function narrate(deps: TurnDeps, context: TurnContext, events: TurnEvents, signal: AbortSignal, tuning: NarrationTuning): Promise<{ text: string; info: ModelCallInfo; firstTokenMs: number | undefined }> {
  const started = deps.clock.monotonic();
  let text = '';
  let firstTokenMs: number | undefined;
  const deltas = new DeltaCoalescer(deps.settings.narrationFlushMs ?? 0, (chunk) => events.publish({ type: 'narration.delta', text: chunk }));
  const onText = (delta: string) => {
    firstTokenMs ??= deps.clock.monotonic() - started;
    const clean = cleanText(delta);
    text += clean;
    deltas.push(clean);
  };
  try {
    const info = await deps.narrator.narrate(context, { signal, onText, tuning });
    deltas.flush();
    return { text: text.trim(), info, firstTokenMs };
  } catch (err) {
    deltas.discard();
    throw err;
  }
}

/** A committed turn whose announcement tells the watchers and runs the after-commit work. */
function committedTurn(deps: TurnDeps, result: TurnResult, summaryThroughTurn?: number): CommittedTurn {
  return {
    result,
    async announce() {
      const stage = stageRunner(deps.tracer);
      const started = deps.clock.monotonic();
      // The bus may hold the event (replay buffer, Realtime's queue) after this: the publish
      // time is added to this process's copy of the timings only.
      const published = { ...result, timings: { ...result.timings } };
      await stage('publish', () => deps.bus.publish({ type: 'turn.completed', result: published, sessionId: result.sessionId, taskId: result.taskId, turnNo: result.turnNo }));
      result.timings.publish = Math.round((deps.clock.monotonic() - started) * 100) / 100;
      // Outside the turn's transaction, after the announcement: the player is not kept waiting.
      await deps.memory?.afterCommit({ sessionId: result.sessionId, turnNo: result.turnNo, ...(summaryThroughTurn !== undefined ? { summaryThroughTurn } : {}) });
    },
  };
}

/**
 * Run one turn of `job` through its commit. Idempotent: if the job's task already committed,
 * nothing is written and the committed turn comes back, to be announced again.
 */
export async function runTurn(deps: TurnDeps, rawJob: TurnJob, ctx: JobContext): Promise<CommittedTurn> {
  const job = cleanJob(rawJob);
  const clock = deps.clock;
  // Measured before any work of this attempt, so it is the time the job really waited.
  const queueWait = Math.max(0, clock.now() - job.enqueuedAt);
  const t0 = clock.monotonic();
  const mark = () => Math.round((clock.monotonic() - t0) * 100) / 100;
  const stage = stageRunner(deps.tracer);
  const loaded = await stage('load', () => loadTurn(deps, job));
  if ('committed' in loaded) return committedTurn(deps, loaded.committed);
  return playLoaded(deps, job, ctx, loaded, { queueWait, mark });
}

export async function playLoaded(deps: TurnDeps, job: TurnJob, ctx: JobContext, loaded: LoadedTurn, clock: { queueWait: number; mark: () => number }): Promise<CommittedTurn> {
  const { session, runtime, context } = loaded;
  const { mark } = clock;
  const stage = stageRunner(deps.tracer);
  const turnNo = session.turnNo + 1;
  const recorder = deps.settings.record === false ? undefined : new TurnRecorder();
  const events = new TurnEvents(deps, job, turnNo, recorder);
  const timings: Partial<TurnTimings> = { queueWait: clock.queueWait, load: mark() };
  events.publish({ type: 'turn.started', input: job.input, action: job.action, attempt: ctx.attempt, userId: job.ownerId, displayName: context.actorName ?? null });

  const models = turnModels(deps, runtime, session.ownerId, loaded.owner);
  const { tuning, byok } = models;
  // Every model and embedder answer is kept for replay (turn-recording.ts).
  const roles = recorder ? recorder.wrap(models.roles) : models.roles;
  const narration = await stage('narrate', () => narrate(roles, context, events, ctx.signal, tuning));
  timings.narrate = mark() - timings.load!;
  timings.firstToken = narration.firstTokenMs;

  const judged = await stage('judge', () => decide(roles, context, narration.text, ctx.signal, runtime.writableVariables));
  const decision: Decision = cleanDecision(judged.decision);
  timings.judge = mark() - timings.load! - timings.narrate;
  events.publish({ type: 'turn.decision', decision });

  const usage = turnUsage(deps.settings.prices ?? {}, narration.info, judged, byok);
  const trace = turnTrace(loaded, narration.info, judged);
  const committed = await applyAndCommit({ ...deps, embedder: roles.embedder }, job, loaded, { turnNo, narration: narration.text, decision, timings, mark, usage, trace, recorder }, ctx.signal);
  // Every earlier event of the turn is out before it is announced.
  await events.settled();
  if (committed.duplicate) {
    // Another worker committed this task meanwhile: it announces it.
    return { result: committed.result, announce: async () => undefined };
  }
  return committedTurn(deps, committed.result, loaded.summaryThroughTurn);
}
