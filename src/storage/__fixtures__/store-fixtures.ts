/** Builders of plausible domain values for store tests. */
import { randomUUID } from 'node:crypto';
import type { NewSession } from '../../domain/ports/session-store.js';
import type { NewStory } from '../../domain/ports/story-store.js';
import type { MemoryToStore, TurnCommit } from '../../domain/ports/turn-store.js';
import type { StoryView, TurnResult } from '../../domain/types.js';

export function makeStory(over: Partial<NewStory> = {}): NewStory {
  const hash = over.version?.hash ?? `h-${randomUUID()}`;
  return {
    slug: `story-${randomUUID().slice(0, 8)}`,
    title: 'The Lighthouse',
    ownerId: null,
    source: 'Hello.\n* [Go] -> END',
    ...over,
    version: {
      storyId: '',
      hash,
      compiledJson: JSON.stringify({ inkVersion: 21, hash }),
      writableVariables: [{ name: 'gold', type: 'int' }],
      ...over.version,
    },
  };
}

export function makeView(text: string, over: Partial<StoryView> = {}): StoryView {
  return {
    text,
    tags: ['scene:hall'],
    choices: [{ index: 0, text: 'Open the door' }],
    ended: false,
    variables: { gold: 3, name: 'Ada', brave: true },
    ...over,
  };
}

export function makeResult(sessionId: string, turnNo: number, over: Partial<TurnResult> = {}): TurnResult {
  const view = makeView(`passage ${turnNo}`);
  return {
    sessionId,
    turnNo,
    taskId: turnNo === 0 ? null : `task-${randomUUID()}`,
    input: turnNo === 0 ? '' : `input ${turnNo}`,
    action: turnNo === 0 ? 'continue' : 'do',
    response: `response ${turnNo} — with “unicode” ✓`,
    decision: { choiceIndex: 0, variableUpdates: [{ name: 'gold', value: turnNo }], memories: [], summary: `s${turnNo}` },
    updated_state: view,
    timings: { load: 1, narrate: 2, judge: 3, apply: 0.5, embed: 0, commit: 0, total: 6.5 },
    createdAt: new Date(Date.UTC(2026, 10, 25, 3, 4, turnNo)).toISOString(),
    ...over,
  };
}

export function makeSession(storyId: string, storyVersion: string, over: Partial<NewSession> = {}): NewSession {
  const id = over.id ?? randomUUID();
  const opening = makeResult(id, 0);
  return {
    id,
    ownerId: 'user-1',
    storyId,
    storyVersion,
    inkState: '{"state":0}',
    view: opening.updated_state,
    status: 'active',
    opening,
    ...over,
  };
}

export function makeCommit(sessionId: string, turnNo: number, expectedVersion: number, memories: MemoryToStore[] = []): TurnCommit {
  const result = makeResult(sessionId, turnNo);
  return {
    sessionId,
    expectedVersion,
    result,
    inkState: `{"state":${turnNo}}`,
    view: result.updated_state,
    status: 'active',
    memories,
  };
}
