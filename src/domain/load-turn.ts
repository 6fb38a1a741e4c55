/**
 * Stage 1 of a turn: one read of the store (the session, its history, the turn a re-run task
 * already committed, what memory needs to know), the story runtime from the process cache, and
 * long-term memory's recall.
 * @module
 */
import { cleanText } from './clean-text.js';
import type { ConditionScope } from '../shared/card-condition.js';
import { DramaError } from './errors.js';
import { loadStoryRuntime } from './load-story.js';
import type { MemoryPreload, RecallTrace } from './ports/memory.js';
import type { OwnerPreferences } from './ports/settings-store.js';
import { embeddingSpace } from './ports/embedder.js';
import { type TurnContext } from './ports/narrator.js';
import type { StoryRuntime } from './ports/story-engine.js';
import type { TurnJob } from './ports/turn-queue.js';
import type { TurnDeps } from './turn-deps.js';
import { steeringContext } from './steering.js';
import type { SessionRecord, StoredMemory, TurnResult } from './types.js';

/** What a turn works from once it is loaded. */
export interface LoadedTurn {
  session: SessionRecord;
  runtime: StoryRuntime;
  context: TurnContext;
  /** Why these memories and cards (long-term memory only). */
  recallTrace?: RecallTrace;
  /** The latest rolling summary's last turn when loaded (0: none), for the after-commit check. */
  summaryThroughTurn: number;
  /** The session owner's settings and sealed provider keys. */
  owner: OwnerPreferences;
}

type Recalled = { memories: StoredMemory[]; cards?: NonNullable<TurnContext['cards']>; summary?: string; trace?: RecallTrace };

/** What cards' `when` conditions read: the session's variables, visit counts (its saved ink state, parsed only if asked) and the turn. */
function conditionScope(session: SessionRecord): ConditionScope {
  let visitCounts: Record<string, number> | undefined;
  return {
    variable: (name) => session.view.variables[name],
    visits(path) {
      visitCounts ??= (JSON.parse(session.inkState) as { visitCounts?: Record<string, number> }).visitCounts ?? {};
      return visitCounts[path] ?? 0;
    },
    turn: session.turnNo + 1,
  };
}

async function recall(deps: TurnDeps, job: TurnJob, session: SessionRecord, runtime: StoryRuntime, preload: MemoryPreload): Promise<Recalled> {
  if (deps.memory) {
    return deps.memory.recall({
      sessionId: job.sessionId,
      storyId: session.storyId,
      turnNo: session.turnNo + 1,
      input: job.input,
      storyText: session.view.text,
      storyCards: runtime.cards ?? [],
      preload,
      conditionScope: conditionScope(session),
    });
  }
  if (deps.settings.memoryTopK === 0 || preload.rows === 0) return { memories: [] };
  const [embedding] = await deps.embedder.embed([job.input]);
  if (!embedding) return { memories: [] };
  return { memories: await deps.store.memories.search(job.sessionId, embedding, deps.settings.memoryTopK, { model: embeddingSpace(deps.embedder), timelineTurn: session.turnNo }) };
}

/**
 * Load the turn of `job`: `{ committed }` when its task already committed (a job run again),
 * else what the models will see. Throws `session_not_found` and `story_ended`.
 */
export async function loadTurn(deps: TurnDeps, job: TurnJob): Promise<LoadedTurn | { committed: TurnResult }> {
  const load = await deps.store.turns.loadTurn(job.sessionId, job.taskId, deps.settings.historyTurns, job.ownerId);
  if (load.committed) return { committed: load.committed };
  const session = load.session;
  if (!session) throw new DramaError('session_not_found', `Session ${job.sessionId} not found`);
  if (session.status === 'ended' || session.view.ended) {
    throw new DramaError('story_ended', 'This story has ended; start a new session to play again');
  }
  const runtime = await loadStoryRuntime(deps, session.storyId, session.storyVersion);
  const recalled = await recall(deps, job, session, runtime, load.memory);
  const context: TurnContext = {
    storyTitle: load.storyTitle ?? 'Untitled',
    ...(runtime.narratorGuidance ? { storyInstructions: runtime.narratorGuidance } : {}),
    storyText: session.view.text,
    choices: session.view.choices,
    variables: session.view.variables,
    writableVariables: runtime.writableVariables,
    memories: recalled.memories,
    history: load.history,
    input: job.input,
    action: job.action,
    ...(job.actors?.length ? { actorName: job.actors.join(', ') } : load.actorName ? { actorName: load.actorName } : {}),
    ...(recalled.cards && recalled.cards.length > 0 ? { cards: recalled.cards } : {}),
    ...(recalled.summary ? { summary: recalled.summary } : {}),
    ...steeringContext(session.steering),
  };
  const summaryThroughTurn = load.memory.summary?.turnNo ?? 0;
  const owner = load.owner;
  return recalled.trace ? { session, runtime, context, recallTrace: recalled.trace, summaryThroughTurn, owner } : { session, runtime, context, summaryThroughTurn, owner };
}

/** Jobs may come from another process or an older client: the input is cleaned here too. */
export function cleanJob(job: TurnJob): TurnJob {
  return { ...job, input: cleanText(job.input) };
}
