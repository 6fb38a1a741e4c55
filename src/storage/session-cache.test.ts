import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryKind, StoryView } from '../domain/types.js';
import type { MemoryToStore } from '../domain/ports/turn-store.js';
import { createStore } from './create-store.js';
import { openDatabase } from './db.js';
import { VECTOR_DIMENSIONS } from './repos/cosine.js';
import { asJsonb, SessionCache } from './session-cache.js';
import type { StoreWithStats } from './stats.js';
import { makeCommit, makeSession, makeStory, makeView } from './__fixtures__/store-fixtures.js';

const OWNER = 'user-1';
const HISTORY = 3;
const embedding = (i: number) => Array.from({ length: VECTOR_DIMENSIONS }, (_, j) => (j === i % VECTOR_DIMENSIONS ? 1 : 0));
const memory = (kind: MemoryKind, i: number): MemoryToStore => ({ text: `${kind} ${i}`, importance: 5, kind, embedding: embedding(i), embeddingModel: 'm@256' });

/** The two reads the cache serves, as JSON text: equal only if equal down to key order. */
async function reads(store: StoreWithStats, sessionId: string) {
  const load = await store.turns.loadTurn(sessionId, 'probe-task', HISTORY, OWNER);
  const head = await store.sessions.getSessionHead(sessionId, OWNER);
  return JSON.stringify({ load, head });
}

describe('SessionCache: a write-through cache of the turn load and session head (PGlite)', () => {
  let raw: StoreWithStats;
  beforeAll(async () => {
    raw = createStore(await openDatabase({ dataDir: ':memory:', poolSize: 1 }));
  });
  afterAll(() => raw.close());

  async function newSession(store: StoreWithStats = raw) {
    const story = await raw.stories.saveStory(makeStory());
    const session = await store.sessions.createSession(makeSession(story.id, story.currentVersion));
    return { storyId: story.id, sessionId: session.id };
  }

  /** A turn as the engine plays it: load through `store`, commit what the load said. */
  async function playTurn(store: StoreWithStats, sessionId: string, opts: { memories?: MemoryToStore[]; view?: StoryView; actorId?: string } = {}) {
    const load = await store.turns.loadTurn(sessionId, `task-${Math.random()}`, HISTORY, OWNER);
    const s = load.session!;
    const commit = makeCommit(sessionId, s.turnNo + 1, s.version, opts.memories ?? []);
    // Keys in an order jsonb does not keep: the brought-forward entry must still read as stored.
    const view = opts.view ?? makeView(`passage ${s.turnNo + 1}`, { variables: { name: 'Ada', gold: s.turnNo + 1, brave: true } });
    commit.view = view;
    commit.result = { ...commit.result, updated_state: view, ...(opts.actorId ? { actorId: opts.actorId } : {}) };
    return store.turns.commitTurn(commit);
  }

  it('a played session reads the same from the cache as from the database, and the next turn reads nothing', async () => {
    const cache = new SessionCache(8 * 2 ** 20);
    const store = cache.wrap(raw);
    const { sessionId } = await newSession();
    await store.sessions.getSessionHead(sessionId, OWNER);
    for (let n = 0; n < 5; n++) {
      await playTurn(store, sessionId, { memories: n % 2 ? [memory('event', n), memory('fact', n)] : [], ...(n % 3 === 0 ? { actorId: OWNER } : {}) });
      const before = cache.stats();
      expect(await reads(store, sessionId)).toBe(await reads(raw, sessionId));
      // Both reads after a commit come from the entry it brought forward.
      expect(cache.stats().hits - before.hits).toBe(2);
      expect(cache.stats().misses).toBe(before.misses);
    }
    expect(cache.stats().writeThroughs).toBe(5);
  });

  it('a wrapped repository spreads and enumerates like the one it wraps, cached methods included', async () => {
    const store = new SessionCache(2 ** 20).wrap(raw);
    const turns = { ...store.turns };
    expect(Object.keys(turns).sort()).toEqual(Object.keys(raw.turns).sort());
    const { sessionId } = await newSession();
    await playTurn({ ...store, turns } as StoreWithStats, sessionId);
    // The spread copy's commit went through the cache: the next load is a hit.
    await store.turns.loadTurn(sessionId, 'probe-task', HISTORY, OWNER);
    expect(await reads(store, sessionId)).toBe(await reads(raw, sessionId));
  });

  it("a session started through the cache answers its owner's first head from what was written", async () => {
    const cache = new SessionCache(2 ** 20);
    const store = cache.wrap(raw);
    const story = await raw.stories.saveStory(makeStory());
    const { id } = await store.sessions.createSession(makeSession(story.id, story.currentVersion));
    const head = JSON.stringify(await store.sessions.getSessionHead(id, OWNER));
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 0 });
    expect(head).toBe(JSON.stringify(await raw.sessions.getSessionHead(id, OWNER)));
    // Another viewer's head is not known: it is read.
    expect(JSON.stringify(await store.sessions.getSessionHead(id, 'user-2'))).toBe(JSON.stringify(await raw.sessions.getSessionHead(id, 'user-2')));
    expect(cache.stats().misses).toBe(1);
  });

  it('jsonb order: a value reads back with its keys as jsonb keeps them, and without what JSON drops', () => {
    expect(JSON.stringify(asJsonb({ gold: 1, name: 'x', brave: true, a: undefined, nested: [{ zz: 1, b: 2 }] }))).toBe('{"gold":1,"name":"x","brave":true,"nested":[{"b":2,"zz":1}]}');
  });

  it('a read that raced a write is not kept: a commit that ends while a head is being read', async () => {
    const { sessionId } = await newSession();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holdNext = false;
    const sessions = Object.create(raw.sessions) as StoreWithStats['sessions'];
    sessions.getSessionHead = async (id, viewer) => {
      const head = await raw.sessions.getSessionHead(id, viewer);
      if (holdNext) {
        holdNext = false;
        await gate;
      }
      return head;
    };
    const cache = new SessionCache(8 * 2 ** 20);
    const store = cache.wrap({ ...raw, sessions });
    holdNext = true;
    const racing = store.sessions.getSessionHead(sessionId, OWNER);
    await new Promise((r) => setTimeout(r, 20));
    await playTurn(store, sessionId);
    release();
    expect((await racing)!.turnNo).toBe(0);
    // Without the race check, the head read before the commit would now be served.
    expect((await store.sessions.getSessionHead(sessionId, OWNER))!.turnNo).toBe(1);
  });

  it('a commit against an entry that is behind fails as a conflict and drops it; the retry reads the database', async () => {
    const cache = new SessionCache(8 * 2 ** 20);
    const store = cache.wrap(raw);
    const { sessionId } = await newSession();
    await playTurn(store, sessionId);
    // Behind the cache's back, as a second writer would (why the runtime keeps it to sole writers).
    await playTurn(raw, sessionId);
    await expect(playTurn(store, sessionId)).rejects.toMatchObject({ code: 'turn_conflict' });
    await playTurn(store, sessionId);
    expect(await reads(store, sessionId)).toBe(await reads(raw, sessionId));
  });

  type Op =
    | { kind: 'turn'; memories: MemoryKind[]; actor: 'owner' | 'none' | 'member' }
    | { kind: 'undo' | 'redo' | 'retry' | 'restore' | 'steer' | 'edit' | 'addMemory' | 'removeMemory' | 'card' | 'storyCard' | 'settings' | 'rename' | 'delete-card' | 'reembed' };

  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('turn' as const), memories: fc.array(fc.constantFrom<MemoryKind>('event', 'fact', 'summary'), { maxLength: 2 }), actor: fc.constantFrom('owner' as const, 'none' as const, 'member' as const) }) },
    fc.constantFrom(...(['undo', 'redo', 'retry', 'restore', 'steer', 'edit', 'addMemory', 'removeMemory', 'card', 'storyCard', 'settings', 'rename', 'delete-card', 'reembed'] as const)).map((kind) => ({ kind })),
  );

  it('property: after any sequence of turns, timeline moves, edits, memories, cards, settings and renames, the cache reads as the database does', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        const cache = new SessionCache(8 * 2 ** 20);
        const store = cache.wrap(raw);
        const { storyId, sessionId } = await newSession(store);
        round++;
        for (const [i, o] of ops.entries()) {
          const n = round * 100 + i;
          try {
            switch (o.kind) {
              case 'turn':
                await playTurn(store, sessionId, { memories: o.memories.map((k) => memory(k, n)), ...(o.actor === 'none' ? {} : { actorId: o.actor === 'owner' ? OWNER : 'user-2' }) });
                break;
              case 'undo':
                await store.timeline.undo(sessionId);
                break;
              case 'redo':
                await store.timeline.redo(sessionId);
                break;
              case 'retry':
                await store.timeline.replaceLast(sessionId);
                break;
              case 'restore': {
                const s = await raw.sessions.getSession(sessionId);
                await store.timeline.restoreReplaced(sessionId, s!.turnNo + 1);
                break;
              }
              case 'steer':
                await store.sessions.updateSteering(sessionId, (current) => ({ ...current, authorNote: `note ${n}` }));
                break;
              case 'edit': {
                const s = await raw.sessions.getSession(sessionId);
                await store.turns.editResponse(sessionId, s!.turnNo, `edited ${n}`);
                break;
              }
              case 'addMemory':
                await store.memories.add({ ...memory('fact', n), sessionId, turnNo: 0, origin: 'player' });
                break;
              case 'removeMemory': {
                const [m] = await raw.memories.list(sessionId);
                if (m) await store.memories.remove(sessionId, m.id);
                break;
              }
              case 'card':
                await store.cards.add({ sessionId }, { name: `card ${n}`, keywords: ['x'], text: 'lore', embedding: embedding(n) });
                break;
              case 'storyCard':
                await store.cards.add({ storyId }, { name: `story card ${n}`, keywords: ['y'], text: 'lore', embedding: embedding(n) });
                break;
              case 'delete-card': {
                const [c] = await raw.cards.list({ storyId });
                if (c) await store.cards.remove({ storyId }, c.id);
                break;
              }
              case 'settings':
                await store.settings.put(OWNER, { narratorModel: null, temperature: (n % 10) / 10, passageLength: null, language: null });
                break;
              case 'rename':
                await store.stories.updateStory(storyId, { title: `Title ${n}` });
                break;
              case 'reembed': {
                const stale = await raw.memories.list(sessionId);
                if (stale[0]) await store.memories.setEmbeddings([{ id: stale[0].id, embedding: embedding(n + 1) }], 'm@256');
                break;
              }
            }
          } catch (err) {
            // Moves the timeline refuses (nothing to undo, redo or retry) change nothing.
            if (!(err instanceof Error && 'code' in err)) throw err;
          }
          expect(await reads(store, sessionId)).toBe(await reads(raw, sessionId));
          // And a second time: now from the entry the first read (or the commit) left.
          expect(await reads(store, sessionId)).toBe(await reads(raw, sessionId));
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
