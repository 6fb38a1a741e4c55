import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { MemoryStore } from '../domain/ports/memory-store.js';
import type { MemoryToStore } from '../domain/ports/turn-store.js';
import { VECTOR_DIMENSIONS } from './repos/cosine.js';
import { createMemoryRepo } from './repos/memory-repo.js';
import { describeStore, type StoreHarness } from './__fixtures__/store-targets.js';
import { makeCommit, makeSession, makeStory } from './__fixtures__/store-fixtures.js';

const axis = (i: number) => Array.from({ length: VECTOR_DIMENSIONS }, (_, j) => (j === i ? 1 : j === i + 1 ? 0.3 : 0));
const memory = (text: string, i: number): MemoryToStore => ({ text, importance: 5, kind: 'event', embedding: axis(i), embeddingModel: 'm@256' });

/** A session with turns 1..`turns` committed; turn n writes the memory `m<n>`. */
async function playedSession(h: StoreHarness, turns: number) {
  const story = await h.store.stories.saveStory(makeStory());
  const session = await h.store.sessions.createSession(makeSession(story.id, story.currentVersion));
  for (let n = 1; n <= turns; n++) await h.store.turns.commitTurn({ ...makeCommit(session.id, n, n - 1, [memory(`m${n}`, n)]), trace: { turn: n } });
  return { storyId: story.id, sessionId: session.id };
}

async function states(h: StoreHarness, sessionId: string) {
  const all = await h.store.turns.listTurns(sessionId, { limit: 100, include: 'all' });
  return all.map((t) => `${t.turnNo}:${t.state ?? 'active'}`);
}

/** Every way memories are read, on the store's own path and on both portable paths. */
function memoryPaths(h: StoreHarness): [string, MemoryStore][] {
  return [
    ['store', h.store.memories],
    ['portable', createMemoryRepo(h.opened.db, null, { vectorCacheBytes: 0 })],
    ['portable+cache', createMemoryRepo(h.opened.db, null)],
  ];
}

async function visibleTexts(memories: MemoryStore, sessionId: string, timelineTurn: number) {
  const opts = { model: 'm@256', timelineTurn };
  const listed = (await memories.list(sessionId, { timelineTurn })).map((m) => m.text).sort();
  const searched = (await memories.search(sessionId, axis(2), 50, opts)).map((m) => m.text).sort();
  const candidates = (await memories.candidates(sessionId, axis(2), { limit: 50, ...opts })).map((m) => m.text).sort();
  return { listed, searched, candidates };
}

describeStore('timeline: undo, redo, retry, fork', (h) => {
  it('undo restores the state after the previous turn, keeps the turn as undone; redo re-applies it', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 3);
    const before = (await store.sessions.getSession(sessionId))!;
    expect(before).toMatchObject({ turnNo: 3, version: 3, redoAvailable: false, forkedFrom: null, forkedAtTurn: null });

    const undone = await store.timeline.undo(sessionId);
    expect(undone).toMatchObject({ turnNo: 2, version: 4, inkState: '{"state":2}', view: { text: 'passage 2' }, redoAvailable: true });
    expect(await store.sessions.getSession(sessionId)).toEqual(undone);
    expect(await states(h(), sessionId)).toEqual(['0:active', '1:active', '2:active', '3:undone']);
    // The timeline's own reads no longer see turn 3.
    expect((await store.turns.listTurns(sessionId, { limit: 10 })).map((t) => t.turnNo)).toEqual([0, 1, 2]);
    expect((await store.turns.recentTurns(sessionId, 10)).map((t) => t.turnNo)).toEqual([0, 1, 2]);
    expect(await store.turns.getTurn(sessionId, 3)).toBeNull();
    expect(await store.turns.getTrace(sessionId, 3)).toBeNull();

    expect(await store.timeline.undo(sessionId)).toMatchObject({ turnNo: 1, version: 5, redoAvailable: true });
    expect(await store.timeline.redo(sessionId)).toMatchObject({ turnNo: 2, version: 6, redoAvailable: true });
    const redone = await store.timeline.redo(sessionId);
    expect(redone).toMatchObject({ turnNo: 3, version: 7, inkState: before.inkState, view: before.view, redoAvailable: false });
    expect(await states(h(), sessionId)).toEqual(['0:active', '1:active', '2:active', '3:active']);
    await expect(store.timeline.redo(sessionId)).rejects.toMatchObject({ code: 'nothing_to_redo' });
  });

  it('back to a turn that took no choice: the player sees the passage they saw then (the turn row has none)', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 1);
    const quiet = makeCommit(sessionId, 2, 1);
    quiet.result.decision = { ...quiet.result.decision, choiceIndex: null };
    quiet.result.updated_state = { ...quiet.result.updated_state, text: '', tags: [], variables: { gold: 9 } };
    quiet.view = { ...quiet.result.updated_state, text: 'passage 1', tags: ['scene:hall'] };
    await store.turns.commitTurn(quiet);
    await store.turns.commitTurn(makeCommit(sessionId, 3, 2));
    expect((await store.timeline.undo(sessionId)).view).toEqual(quiet.view);
    const forked = await store.timeline.fork({ sourceId: sessionId, atTurn: 2, newId: `quiet-${sessionId}`, ownerId: 'user-1' });
    expect(forked!.view).toEqual(quiet.view);
    await store.timeline.undo(sessionId);
    expect((await store.timeline.redo(sessionId)).view).toEqual(quiet.view);
  });

  it('cannot undo the opening; unknown sessions are not found', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 1);
    await store.timeline.undo(sessionId);
    await expect(store.timeline.undo(sessionId)).rejects.toMatchObject({ code: 'nothing_to_undo' });
    await expect(store.timeline.replaceLast(sessionId)).rejects.toMatchObject({ code: 'nothing_to_retry' });
    for (const move of [store.timeline.undo, store.timeline.redo, store.timeline.replaceLast]) {
      await expect(move('no-such-session')).rejects.toMatchObject({ code: 'session_not_found' });
    }
  });

  it('undo and redo bump the version: a turn computed before them fails its commit and writes nothing', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 2);
    const computedBeforeUndo = makeCommit(sessionId, 3, 2);
    await store.timeline.undo(sessionId);
    await expect(store.turns.commitTurn(computedBeforeUndo)).rejects.toMatchObject({ code: 'turn_conflict' });
    expect(await states(h(), sessionId)).toEqual(['0:active', '1:active', '2:undone']);
    expect(await store.sessions.getSession(sessionId)).toMatchObject({ turnNo: 1, version: 3, redoAvailable: true });
    const computedBeforeRedo = makeCommit(sessionId, 2, 3);
    await store.timeline.redo(sessionId);
    await expect(store.turns.commitTurn(computedBeforeRedo)).rejects.toMatchObject({ code: 'turn_conflict' });
    expect(await states(h(), sessionId)).toEqual(['0:active', '1:active', '2:active']);
  });

  it('a commit racing an undo: one of them wins whole, the timeline stays consistent', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 2);
    const [commit, undo] = await Promise.allSettled([store.turns.commitTurn(makeCommit(sessionId, 3, 2)), store.timeline.undo(sessionId)]);
    expect(undo.status).toBe('fulfilled');
    const session = (await store.sessions.getSession(sessionId))!;
    const timelineNow = await store.turns.listTurns(sessionId, { limit: 10 });
    // Either the turn committed first and was undone, or the undo went first and the turn lost.
    if (commit.status === 'fulfilled') expect(await states(h(), sessionId)).toEqual(['0:active', '1:active', '2:active', '3:undone']);
    else expect(commit.reason).toMatchObject({ code: 'turn_conflict' });
    expect(timelineNow.map((t) => t.turnNo)).toEqual(Array.from({ length: session.turnNo + 1 }, (_, i) => i));
  });

  it('a new turn after undos discards the redo stack in its commit, and forgets those turns’ memories', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 3);
    await store.timeline.undo(sessionId);
    await store.timeline.undo(sessionId);
    const { result } = await store.turns.commitTurn(makeCommit(sessionId, 2, 5, [memory('new m2', 2)]));
    expect(result.turnNo).toBe(2);
    expect(await states(h(), sessionId)).toEqual(['0:active', '1:active', '2:discarded', '2:active', '3:discarded']);
    expect(await store.sessions.getSession(sessionId)).toMatchObject({ turnNo: 2, redoAvailable: false });
    await expect(store.timeline.redo(sessionId)).rejects.toMatchObject({ code: 'nothing_to_redo' });
    expect((await store.memories.list(sessionId)).map((m) => m.text)).toEqual(['m1', 'new m2']);
  });

  it('replaceLast: the last turn becomes a replaced alternative and the session goes back; the new take commits at the same number', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 3);
    await store.timeline.undo(sessionId); // a redo stack (turn 3) that the retry of turn 2 ends
    const { session, replaced } = await store.timeline.replaceLast(sessionId);
    expect(session).toMatchObject({ turnNo: 1, version: 5, inkState: '{"state":1}', redoAvailable: false });
    expect(replaced).toMatchObject({ turnNo: 2, input: 'input 2', action: 'do', state: 'replaced' });
    expect(await states(h(), sessionId)).toEqual(['0:active', '1:active', '2:replaced', '3:discarded']);
    // The replaced take's memories wait off the timeline (the retry may fail); the discarded ones are gone.
    expect((await store.memories.list(sessionId, { timelineTurn: 1 })).map((m) => m.text)).toEqual(['m1']);
    expect((await store.memories.list(sessionId)).map((m) => m.text)).toEqual(['m1', 'm2']);
    await store.turns.commitTurn(makeCommit(sessionId, 2, 5, [memory('retried m2', 2)]));
    expect((await store.memories.list(sessionId)).map((m) => m.text)).toEqual(['m1', 'retried m2']);
    const all = await store.turns.listTurns(sessionId, { limit: 100, include: 'all' });
    expect(all.map((t) => `${t.turnNo}:${t.state ?? 'active'}`)).toEqual(['0:active', '1:active', '2:replaced', '2:active', '3:discarded']);
    expect(all[2]!.createdAt <= all[3]!.createdAt).toBe(true);
    const current = await store.turns.getTurn(sessionId, 2);
    expect(current?.taskId).toBe(all[3]!.taskId);
    expect(current?.state).toBeUndefined();
  });

  it('include=all pages by turn number: every alternative of a turn number is on the same page', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 2);
    await store.timeline.replaceLast(sessionId);
    await store.turns.commitTurn(makeCommit(sessionId, 2, 3));
    await store.timeline.replaceLast(sessionId);
    await store.turns.commitTurn(makeCommit(sessionId, 2, 5));
    const first = await store.turns.listTurns(sessionId, { limit: 2, include: 'all' });
    expect(first.map((t) => t.turnNo)).toEqual([0, 1]);
    const second = await store.turns.listTurns(sessionId, { afterTurnNo: 1, limit: 2, include: 'all' });
    expect(second.map((t) => t.state ?? 'active')).toEqual(['replaced', 'replaced', 'active']);
  });

  it('memories follow the timeline on every read path: hidden while undone, back on redo; the player’s stay', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 3);
    const [m3] = (await store.memories.list(sessionId)).filter((m) => m.text === 'm3');
    await store.memories.update(sessionId, m3!.id, { pinned: true });
    await store.memories.add({ sessionId, turnNo: 3, kind: 'event', text: 'player note', importance: 5, embedding: axis(5), embeddingModel: 'm@256' });
    await store.memories.add({ sessionId, turnNo: 3, kind: 'summary', text: 'summary through 3', importance: 6, embedding: axis(6), embeddingModel: 'm@256', origin: 'turn' });
    const undone = await store.timeline.undo(sessionId);
    for (const [path, memories] of memoryPaths(h())) {
      const seen = await visibleTexts(memories, sessionId, undone.turnNo);
      expect(seen, path).toEqual({ listed: ['m1', 'm2', 'player note'], searched: ['m1', 'm2', 'player note'], candidates: ['m1', 'm2', 'player note'] });
      expect((await memories.list(sessionId, { kind: 'summary', limit: 1, timelineTurn: undone.turnNo })).length, path).toBe(0);
    }
    const redone = await store.timeline.redo(sessionId);
    for (const [path, memories] of memoryPaths(h())) {
      const seen = await visibleTexts(memories, sessionId, redone.turnNo);
      expect(seen.listed, path).toEqual(['m1', 'm2', 'm3', 'player note', 'summary through 3']);
      expect(seen.candidates, path).toContain('m3');
    }
    // A retry of turn 3 hides its memories and the summary made of it; once the new take commits
    // they are gone for good. The player's note stays.
    const rewound = await store.timeline.replaceLast(sessionId);
    expect((await store.memories.list(sessionId, { timelineTurn: rewound.session.turnNo })).map((m) => m.text).sort()).toEqual(['m1', 'm2', 'player note']);
    await store.turns.commitTurn(makeCommit(sessionId, 3, rewound.session.version));
    expect((await store.memories.list(sessionId)).map((m) => m.text).sort()).toEqual(['m1', 'm2', 'player note']);
  });

  it('a summary made of a branch the player left is not written onto the new branch', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 3);
    const turn3 = await store.turns.getTurn(sessionId, 3);
    const summary = (text: string) => ({ sessionId, turnNo: 3, kind: 'summary' as const, text, importance: 6, embedding: axis(6), embeddingModel: 'm@256', origin: 'turn' as const, ifTurnActive: { turnNo: 3, taskId: turn3!.taskId } });
    // Still the same turn 3: written.
    expect(await store.memories.add(summary('through 3, first'))).toMatchObject({ turnNo: 3, kind: 'summary' });
    await h().rows(sql`DELETE FROM memories WHERE session_id = ${sessionId} AND kind = 'summary'`);
    // The player undid to 2 and played another turn 3 while the summary was being written.
    const undone = await store.timeline.undo(sessionId);
    await store.turns.commitTurn(makeCommit(sessionId, 3, undone.version));
    expect(await store.memories.add(summary('through the old 3'))).toBeNull();
    expect(await store.memories.list(sessionId, { kind: 'summary' })).toEqual([]);
  });

  it('restoreReplaced puts back the take a retry replaced, with its memories, unless the session moved on', async () => {
    const { store } = h();
    const { sessionId } = await playedSession(h(), 2);
    const before = await store.sessions.getSession(sessionId);
    const { session: rewound } = await store.timeline.replaceLast(sessionId);
    // Not at turn 1 any more? Nothing to restore at a turn number the session is not behind.
    expect(await store.timeline.restoreReplaced(sessionId, 3)).toBeNull();
    const restored = await store.timeline.restoreReplaced(sessionId, 2);
    expect(restored).toMatchObject({ turnNo: 2, inkState: before!.inkState, version: rewound.version + 1 });
    expect(await states(h(), sessionId)).toEqual(['0:active', '1:active', '2:active']);
    expect((await store.memories.list(sessionId, { timelineTurn: 2 })).map((m) => m.text)).toEqual(['m1', 'm2']);
    expect((await store.turns.getTurn(sessionId, 2))?.input).toBe('input 2');
    // A second restore finds an active take at 2 and changes nothing.
    expect(await store.timeline.restoreReplaced(sessionId, 2)).toBeNull();
    // After a retry whose new take committed, there is nothing to restore: the session moved on.
    const again = await store.timeline.replaceLast(sessionId);
    await store.turns.commitTurn(makeCommit(sessionId, 2, again.session.version));
    expect(await store.timeline.restoreReplaced(sessionId, 2)).toBeNull();
    expect(await states(h(), sessionId)).toEqual(['0:active', '1:active', '2:replaced', '2:active']);
  });

  it('fork copies the timeline up to a turn into a new session; the source does not change', async () => {
    const { store } = h();
    const { storyId, sessionId } = await playedSession(h(), 3);
    await store.memories.add({ sessionId, turnNo: 1, kind: 'fact', text: 'player note at 1', importance: 5, embedding: axis(7), pinned: true });
    await store.memories.add({ sessionId, turnNo: 3, kind: 'fact', text: 'player note at 3', importance: 5, embedding: axis(8) });
    await store.cards.add({ sessionId }, { name: 'Mine', keywords: ['mine'], text: 'My card', embedding: axis(9) });
    await store.timeline.replaceLast(sessionId); // turn 3 replaced: not on the timeline, never copied
    await store.turns.commitTurn(makeCommit(sessionId, 3, 4));
    const sourceBefore = await store.sessions.getSession(sessionId);
    const sourceTurns = await store.turns.listTurns(sessionId, { limit: 100, include: 'all' });

    const forked = await store.timeline.fork({ sourceId: sessionId, atTurn: 2, newId: `fork-${sessionId}`, ownerId: 'user-2' });
    expect(forked).toMatchObject({ id: `fork-${sessionId}`, ownerId: 'user-2', storyId, turnNo: 2, version: 0, inkState: '{"state":2}', status: 'active', forkedFrom: sessionId, forkedAtTurn: 2, redoAvailable: false });
    const copied = await store.turns.listTurns(forked!.id, { limit: 100, include: 'all' });
    expect(copied.map((t) => [t.turnNo, t.taskId, t.state])).toEqual([[0, null, undefined], [1, null, undefined], [2, null, undefined]]);
    expect(copied.map((t) => t.response)).toEqual(sourceTurns.slice(0, 3).map((t) => t.response));
    // The copies keep their context traces.
    expect(await store.turns.getTrace(forked!.id, 1)).toEqual({ turn: 1 });
    expect(await store.turns.getTrace(forked!.id, 2)).toEqual({ turn: 2 });
    expect(await store.turns.usageTotals({ sessionId: forked!.id })).toMatchObject({ tokens: 0, costUsd: 0 });
    const memories = await store.memories.list(forked!.id);
    expect(memories.map((m) => m.text).sort()).toEqual(['m1', 'm2', 'player note at 1']);
    expect(memories.find((m) => m.text === 'player note at 1')!.pinned).toBe(true);
    // Copies keep their origin: the fork's turn memories follow the fork's own timeline.
    const rows = await h().rows<{ text: string; origin: string }>(sql`SELECT text, origin FROM memories WHERE session_id = ${forked!.id}`);
    expect(rows.filter((r) => r.origin === 'turn').map((r) => r.text).sort()).toEqual(['m1', 'm2']);
    expect((await store.cards.list({ sessionId: forked!.id })).map((c) => c.name)).toEqual(['Mine']);

    await store.timeline.undo(forked!.id);
    expect((await store.memories.list(forked!.id, { timelineTurn: 1 })).map((m) => m.text).sort()).toEqual(['m1', 'player note at 1']);
    expect(await store.sessions.getSession(sessionId)).toEqual(sourceBefore);
    expect(await store.turns.listTurns(sessionId, { limit: 100, include: 'all' })).toEqual(sourceTurns);
    expect(await store.timeline.fork({ sourceId: sessionId, atTurn: 4, newId: `fork2-${sessionId}`, ownerId: 'user-2' })).toBeNull();
    expect(await store.sessions.getSession(`fork2-${sessionId}`)).toBeNull();
  });
});
