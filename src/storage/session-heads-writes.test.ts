import { describe, expect, it, vi, type Mock } from 'vitest';
import type { SessionHeads } from '../domain/ports/session-heads.js';
import { silentLogger } from '../shared/logger.js';
import { withSessionHeadWrites } from './session-heads-writes.js';
import type { StoreWithStats } from './stats.js';

/** A store whose methods answer `result` and a heads that records what was forgotten. */
function setup(result: unknown = true, heads: Partial<SessionHeads> = {}, logger = silentLogger()) {
  const forgotten: string[] = [];
  const recording: SessionHeads = {
    claim: vi.fn(),
    peek: vi.fn(),
    stamp: vi.fn(),
    remember: vi.fn(),
    release: vi.fn(),
    forget: async (id) => void forgotten.push(id),
    forgetAll: async () => void forgotten.push('*'),
    ...heads,
  };
  const repo = <N extends string>(...names: N[]) => Object.fromEntries(names.map((n) => [n, vi.fn(async (..._args: unknown[]) => result)])) as Record<N, Mock<(...args: unknown[]) => Promise<unknown>>>;
  const raw = {
    kind: 'postgres',
    ping: vi.fn(),
    sessions: repo('getSessionHead', 'createSession', 'updateSteering', 'deleteSession', 'getSession', 'somethingNew'),
    turns: repo('loadTurn', 'commitTurn', 'editResponse', 'getTurn'),
    timeline: repo('undo', 'redo', 'replaceLast', 'restoreReplaced', 'fork'),
    members: repo('join', 'removeMember', 'renameMember', 'createInvite'),
    actions: repo('setMode', 'push', 'openVote', 'closeVote', 'moveRound'),
    accounts: repo('claimGuest'),
    memories: repo('add', 'remove'),
    stories: repo('deleteStory', 'installStory'),
    transfer: repo('create'),
    audit: repo('append'),
  };
  const store = withSessionHeadWrites(raw as unknown as StoreWithStats, recording, logger) as unknown as typeof raw;
  return { store, raw, forgotten };
}

describe('withSessionHeadWrites', () => {
  it('every write that can change who owns a session, whether it exists, plays or is shared forgets it', async () => {
    const { store, forgotten } = setup();
    await store.sessions.deleteSession('del');
    await store.actions.setMode('mode', 'free', null);
    await store.members.removeMember('left', 'u');
    for (const move of ['undo', 'redo', 'replaceLast', 'restoreReplaced'] as const) await store.timeline[move](move);
    expect(forgotten).toEqual(['del', 'mode', 'left', 'undo', 'redo', 'replaceLast', 'restoreReplaced']);
  });

  it('a guest claim (many sessions change owner) and a method nobody has listed forget every session', async () => {
    const { store, forgotten } = setup();
    await store.accounts.claimGuest({ guestId: 'g', accountId: 'a' });
    await store.sessions.somethingNew('x');
    expect(forgotten).toEqual(['*', '*']);
  });

  it("a commit forgets its session only when it ends the story; a join only when it let someone in", async () => {
    const { store, forgotten } = setup({ kind: 'joined', sessionId: 'joined', role: 'player' });
    await store.turns.commitTurn({ sessionId: 'playing', status: 'active' });
    await store.turns.commitTurn({ sessionId: 'ended', status: 'ended' });
    await store.members.join({ codeHash: 'h' });
    const refused = setup({ kind: 'expired' });
    await refused.store.members.join({ codeHash: 'h' });
    expect(forgotten).toEqual(['ended', 'joined']);
    expect(refused.forgotten).toEqual([]);
  });

  it('reads, new sessions, forks, imports, steering and what no head holds forget nothing, and reads are not wrapped', async () => {
    const { store, raw, forgotten } = setup();
    expect(store.sessions.getSessionHead).toBe(raw.sessions.getSessionHead);
    expect(store.turns.loadTurn).toBe(raw.turns.loadTurn);
    await store.sessions.getSessionHead('s', 'u');
    await store.sessions.createSession({ id: 'new' });
    await store.sessions.updateSteering('s', () => ({}));
    await store.turns.editResponse('s', 1, 'text');
    await store.timeline.fork({ sourceId: 's' });
    await store.transfer.create({ id: 'imported' });
    await store.actions.push({ sessionId: 'shared' });
    await store.memories.add({ sessionId: 's' });
    await store.stories.deleteStory('story');
    await store.audit.append({});
    await store.members.createInvite({ sessionId: 's' });
    expect(forgotten).toEqual([]);
  });

  it('a failed write still forgets (it may have changed something), and its error is what the caller sees', async () => {
    const { store, raw, forgotten } = setup();
    raw.sessions.deleteSession.mockRejectedValueOnce(new Error('connection lost'));
    raw.members.join.mockRejectedValueOnce(new Error('connection lost'));
    await expect(store.sessions.deleteSession('s')).rejects.toThrow('connection lost');
    await expect(store.members.join({ codeHash: 'h' })).rejects.toThrow('connection lost');
    expect(forgotten).toEqual(['s', '*']);
  });

  it('a forget that fails is logged; the write it followed still answers', async () => {
    const warn = vi.fn();
    const { store } = setup('deleted', { forget: () => Promise.reject(new Error('redis down')) }, { ...silentLogger(), warn } as never);
    expect(await store.sessions.deleteSession('s')).toBe('deleted');
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: 'redis down', session: 's' }), 'could not forget a session head');
  });
});
