/**
 * The turn pipeline — the design's `StoryAgent.process_input`: load, narrate (streamed), judge,
 * apply, commit once, publish. No database transaction is held across a model call: reads happen
 * first, and the single write transaction runs after both model calls have finished.
 * @module
 */
import { cleanText } from './clean-text.js';
import { applyAndCommit } from './apply-and-commit.js';
import { decide } from './decide.js';
import { turnUsage } from './turn-usage.js';
import { DramaError } from './errors.js';
import { loadStoryRuntime } from './load-story.js';
import type { TurnEventInput } from './ports/event-bus.js';
import type { RecallTrace } from './ports/memory.js';
import { embeddingSpace, type ModelCallInfo, type TurnContext } from './ports/models.js';
import type { StoryRuntime } from './ports/story-engine.js';
import type { JobContext, TurnJob } from './ports/turn-queue.js';
import { stageRunner } from './ports/turn-tracer.js';
import type { TurnDeps } from './turn-deps.js';
import type { Decision, SessionRecord, TurnResult, TurnTimings } from './types.js';
import { DeltaCoalescer } from './delta-coalescer.js';

/** Model output is untrusted text too. */
function cleanDecision(d: Decision): Decision {
  return {
    ...d,
    memories: d.memories.map((m) => ({ ...m, text: cleanText(m.text) })).filter((m) => m.text.trim().length > 0),
    summary: cleanText(d.summary),
    variableUpdates: d.variableUpdates.map((u) => (typeof u.value === 'string' ? { ...u, value: cleanText(u.value) } : u)),
  };
}

interface Loaded {
  session: SessionRecord;
  runtime: StoryRuntime;
  context: TurnContext;
  /** Why these memories and cards (long-term memory only). */
  recallTrace?: RecallTrace;
}

/** Stage 1: session, story runtime, memories and history, read in parallel. */
async function loadTurn(deps: TurnDeps, job: TurnJob): Promise<Loaded> {
  const session = await deps.store.sessions.getSession(job.sessionId);
  if (!session) throw new DramaError('session_not_found', `Session ${job.sessionId} not found`);
  if (session.status === 'ended' || session.view.ended) {
    throw new DramaError('story_ended', 'This story has ended; start a new session to play again');
  }
  const runtimeLoad = loadStoryRuntime(deps, session.storyId, session.storyVersion);
  const recall = async () => {
    if (deps.memory) {
      const runtime = await runtimeLoad;
      return deps.memory.recall({
        sessionId: job.sessionId,
        storyId: session.storyId,
        turnNo: session.turnNo + 1,
        input: job.input,
        storyText: session.view.text,
        storyCards: runtime.cards ?? [],
      });
    }
    if (deps.settings.memoryTopK === 0) return { memories: [] };
    const [embedding] = await deps.embedder.embed([job.input]);
    return { memories: embedding ? await deps.store.memories.search(job.sessionId, embedding, deps.settings.memoryTopK, { model: embeddingSpace(deps.embedder), timelineTurn: session.turnNo }) : [] };
  };
  const [runtime, recalled, history, title] = await Promise.all([
    runtimeLoad,
    recall(),
    deps.store.turns.recentTurns(job.sessionId, deps.settings.historyTurns),
    deps.store.stories.getStory(session.storyId).then((s) => s?.title ?? 'Untitled'),
  ]);
  const context: TurnContext = {
    storyTitle: title,
    ...(runtime.narratorGuidance ? { storyInstructions: runtime.narratorGuidance } : {}),
    storyText: session.view.text,
    choices: session.view.choices,
    variables: session.view.variables,
    writableVariables: runtime.writableVariables,
    memories: recalled.memories,
    history,
    input: job.input,
    action: job.action,
    ...('cards' in recalled && recalled.cards.length > 0 ? { cards: recalled.cards } : {}),
    ...('summary' in recalled && recalled.summary ? { summary: recalled.summary } : {}),
  };
  if ('trace' in recalled) return { session, runtime, context, recallTrace: recalled.trace };
  return { session, runtime, context };
}

/** Stage 2: stream the narration, forwarding deltas to the bus as they arrive (coalesced, see DeltaCoalescer). */
async function narrate(
  deps: TurnDeps,
  context: TurnContext,
  publish: (body: TurnEventBodyLike) => void,
  signal: AbortSignal,
): Promise<{ text: string; info: ModelCallInfo; firstTokenMs: number | undefined }> {
  const started = deps.clock.monotonic();
  const stream = deps.narrator.narrate(context, { signal });
  let text = '';
  let firstTokenMs: number | undefined;
  const deltas = new DeltaCoalescer(deps.settings.narrationFlushMs ?? 0, (chunk) => publish({ type: 'narration.delta', text: chunk }));
  try {
    for await (const delta of stream.textStream) {
      if (delta.length === 0) continue;
      firstTokenMs ??= deps.clock.monotonic() - started;
      const clean = cleanText(delta);
      text += clean;
      deltas.push(clean);
    }
  } catch (err) {
    deltas.discard();
    throw err;
  }
  deltas.flush();
  const info = await stream.finished;
  return { text: text.trim(), info, firstTokenMs };
}

type TurnEventBodyLike = Parameters<TurnDeps['bus']['publish']>[0] extends infer E
  ? E extends TurnEventInput
    ? Omit<E, 'sessionId' | 'taskId' | 'turnNo'>
    : never
  : never;

/** Message text kept per message in a stored trace; the section token counts still tell the full size. */
const TRACE_MESSAGE_CHARS = 20_000;

/** A call's info for the trace: the request's message texts capped, so one huge prompt cannot bloat the turn row. */
function traced<T extends ModelCallInfo>(info: T): T {
  if (!info.request || !Array.isArray(info.request.messages)) return info;
  // Well-formed UTF-16: PostgreSQL's jsonb refuses a lone surrogate, which a cut can leave behind.
  const cap = (text: string) => (text.length > TRACE_MESSAGE_CHARS ? `${text.slice(0, TRACE_MESSAGE_CHARS)}… [${text.length - TRACE_MESSAGE_CHARS} chars cut]` : text).toWellFormed();
  const messages = (info.request.messages as { content?: unknown }[]).map((m) => ({
    ...m,
    content: typeof m.content === 'string' ? cap(m.content) : Array.isArray(m.content) ? m.content.map((p: { text?: unknown }) => (typeof p.text === 'string' ? { ...p, text: cap(p.text) } : p)) : m.content,
  }));
  return { ...info, request: { ...info.request, messages } };
}

/**
 * Run one turn of `job`. Idempotent: if the job's task already committed, nothing is written and
 * the committed result is returned and announced again with `turn.completed` — a worker that died
 * between commit and publish leaves clients waiting otherwise (clients dedupe by turn number).
 */
export async function runTurn(deps: TurnDeps, rawJob: TurnJob, ctx: JobContext): Promise<TurnResult> {
  // Jobs may come from another process or an older client: clean the input here too.
  const job = { ...rawJob, input: cleanText(rawJob.input) };
  const committed = await deps.store.turns.getTurnByTask(job.taskId);
  if (committed) {
    await ctx.markCommitted?.();
    await deps.bus.publish({ type: 'turn.completed', result: committed, sessionId: job.sessionId, taskId: job.taskId, turnNo: committed.turnNo });
    return committed;
  }

  const clock = deps.clock;
  // Measured before any work of this attempt, so it is the time the job really waited.
  const queueWait = Math.max(0, clock.now() - job.enqueuedAt);
  const t0 = clock.monotonic();
  const mark = () => Math.round((clock.monotonic() - t0) * 100) / 100;
  const stage = stageRunner(deps.tracer);
  const loaded = await stage('load', () => loadTurn(deps, job));
  const { session, runtime, context } = loaded;
  const turnNo = session.turnNo + 1;
  const pending: Promise<unknown>[] = [];
  const publish = (body: TurnEventBodyLike) => {
    pending.push(deps.bus.publish({ ...body, sessionId: job.sessionId, taskId: job.taskId, turnNo } as TurnEventInput));
  };
  const timings: Partial<TurnTimings> = { queueWait, load: mark() };
  publish({ type: 'turn.started', input: job.input, action: job.action, attempt: ctx.attempt });

  const prefs = runtime.preferredModels;
  const roles = deps.modelsFor && (prefs.narrator || prefs.judge) ? { ...deps, ...deps.modelsFor(prefs) } : deps;
  const narration = await stage('narrate', () => narrate(roles, context, publish, ctx.signal));
  timings.narrate = mark() - timings.load!;
  timings.firstToken = narration.firstTokenMs;

  const judged = await stage('judge', () => decide(roles, context, narration.text, ctx.signal, runtime.writableVariables));
  const decision: Decision = cleanDecision(judged.decision);
  timings.judge = mark() - timings.load! - timings.narrate;
  publish({ type: 'turn.decision', decision });

  const usage = turnUsage(deps.settings.prices ?? {}, narration.info, judged);
  // Memories with the components of their score (long-term memory), else their similarity.
  const recallTrace = loaded.recallTrace;
  const memoryTrace = recallTrace ? recallTrace.memories : context.memories.map(({ id, text, score, importance }) => ({ id, text, score, importance }));
  const recallInfo = recallTrace ? { recall: { weights: recallTrace.weights, decay: recallTrace.decay, candidates: recallTrace.candidates, cards: recallTrace.cards, summaryThroughTurn: recallTrace.summaryThroughTurn ?? null } } : {};
  const trace = { memories: memoryTrace, ...recallInfo, narrator: traced(narration.info), judge: { calls: judged.calls.map(traced), answers: judged.answers } };
  const result = await applyAndCommit(deps, job, loaded, { turnNo, narration: narration.text, decision, timings, mark, usage, trace }, ctx.signal);
  if (result.duplicate) {
    await Promise.all(pending);
    return result.result;
  }
  await ctx.markCommitted?.();
  // The row was written before the commit's own duration was known: record the final figures
  // before announcing, so a client that reads the turn after turn.completed sees them.
  await deps.store.turns.recordTimings(job.sessionId, turnNo, result.result.timings);
  publish({ type: 'turn.completed', result: result.result });
  const publishStart = clock.monotonic();
  await stage('publish', () => Promise.all(pending));
  result.result.timings.publish = Math.round((clock.monotonic() - publishStart) * 100) / 100;
  // After the announcement, outside the turn's transaction: the player is not kept waiting, and
  // the session's next turn (queued behind this job) sees the new summary.
  await deps.memory?.afterCommit({ sessionId: job.sessionId, turnNo });
  return result.result;
}

