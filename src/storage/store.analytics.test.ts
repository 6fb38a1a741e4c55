import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { TurnUsage } from '../domain/types.js';
import { describeStore } from './__fixtures__/store-targets.js';
import { makeCommit, makeSession, makeStory } from './__fixtures__/store-fixtures.js';

const usage = (tokens: number, judge: { repaired?: boolean; fellBack?: boolean } = {}): TurnUsage => ({
  calls: [],
  inputTokens: tokens,
  outputTokens: 0,
  costUsd: tokens / 1000,
  judgeRepaired: judge.repaired ?? false,
  judgeFellBack: judge.fellBack ?? false,
});

describeStore('analytics repo', (h) => {
  it('counts turns played apart from undone takes and fork copies; judge rates and spend over every take', async () => {
    const { store } = h();
    const story = await store.stories.saveStory(makeStory());
    const session = await store.sessions.createSession(makeSession(story.id, story.currentVersion));
    const takes: [number, TurnUsage][] = [[1, usage(100, { repaired: true })], [2, usage(200, { fellBack: true })], [3, usage(300)]];
    for (const [n, u] of takes) {
      const commit = makeCommit(session.id, n, n - 1);
      commit.result.usage = u;
      if (n === 3) commit.inkState = JSON.stringify({ visitCounts: { '': 1, hall: 2, 'hall.door': 1, 'hall.0.c-0': 1, cellar: 0 } });
      await store.turns.commitTurn(commit);
    }
    await store.timeline.undo(session.id);
    // A fork at turn 1 copies turns 0–1 (not played again) and plays its own turn 2.
    const fork = await store.timeline.fork({ sourceId: session.id, atTurn: 1, newId: randomUUID(), ownerId: 'user-2' });
    const own = makeCommit(fork!.id, 2, fork!.version);
    own.result.usage = usage(50);
    await store.turns.commitTurn(own);

    const scope = { storyId: story.id, sampleSessions: 100 };
    expect(await store.analytics.sessionTotals(scope)).toEqual({ started: 2, finished: 0, forks: 1, medianTurnsToEnding: null, sampled: 2 });
    expect(await store.analytics.turnTotals(scope)).toEqual({ played: 3, alternatives: 1, judged: 4, judgeRepaired: 1, judgeFellBack: 1, tokens: 650, costUsd: 0.65 });
    expect(await store.analytics.usageByTurnNumber(scope, 10)).toEqual([
      { turnNo: 1, turns: 1, tokens: 100, costUsd: 0.1 },
      { turnNo: 2, turns: 2, tokens: 125, costUsd: 0.125 },
    ]);
    // The undo moved the session back to turn 2's state; the undone turn's visits are not the session's.
    expect(await store.analytics.pathVisits(scope)).toEqual([]);
    await store.timeline.redo(session.id);
    expect(await store.analytics.pathVisits(scope)).toEqual([
      { path: 'hall', visits: 2, sessions: 1 },
      { path: 'hall.door', visits: 1, sessions: 1 },
    ]);
    // Every played turn (not the copies) decided at the choices the turn before offered.
    expect(await store.analytics.choiceGroups(scope)).toEqual([{ position: null, offered: [{ index: 0, text: 'Open the door' }], chosen: 0, turns: 4 }]);
    expect(await store.analytics.sessionTotals({ ...scope, sampleSessions: 1 })).toMatchObject({ started: 2, sampled: 1 });
    expect(await store.analytics.sessionTotals({ ...scope, versionHash: 'another' })).toMatchObject({ started: 0 });
  });
});
