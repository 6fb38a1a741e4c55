import { randomUUID } from 'node:crypto';
import { loadStoryRuntime } from './load-story.js';
import { foundStory } from './story-access.js';
import type { TurnDeps } from './turn-deps.js';
import type { SessionRecord, StoryHead, TurnResult } from './types.js';

/**
 * Start a session on a story's current version: run the opening and record it as turn 0,
 * together with the session, in one transaction.
 */
export async function startSession(
  deps: Pick<TurnDeps, 'engine' | 'store' | 'clock'>,
  input: { ownerId: string; storyId: string; story?: StoryHead; id?: string },
): Promise<{ session: SessionRecord; opening: TurnResult }> {
  // The caller has usually just read the story to check access; it is not read twice.
  const story = input.story ?? foundStory(await deps.store.stories.getStoryHead(input.storyId), input.storyId);
  const runtime = await loadStoryRuntime(deps, story.id, story.currentVersion);
  const t0 = deps.clock.monotonic();
  const { state, view } = runtime.start();
  const id = input.id ?? randomUUID();
  const applyMs = deps.clock.monotonic() - t0;
  const opening: TurnResult = {
    sessionId: id,
    turnNo: 0,
    taskId: null,
    input: '',
    action: 'continue',
    response: '',
    decision: { choiceIndex: null, variableUpdates: [], memories: [], summary: 'The story begins.' },
    updated_state: { text: view.text, tags: view.tags, choices: view.choices, ended: view.ended, variables: view.variables, ...(view.position ? { position: view.position } : {}) },
    timings: { load: 0, narrate: 0, judge: 0, apply: applyMs, embed: 0, commit: 0, total: applyMs },
    createdAt: new Date(deps.clock.now()).toISOString(),
  };
  const session = await deps.store.sessions.createSession({
    id,
    ownerId: input.ownerId,
    storyId: story.id,
    storyVersion: story.currentVersion,
    inkState: state,
    view,
    status: view.ended ? 'ended' : 'active',
    opening,
  });
  return { session, opening };
}
