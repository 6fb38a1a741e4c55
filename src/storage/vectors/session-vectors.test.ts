import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { MemoryToStore } from '../../domain/ports/turn-store.js';
import { rankByCosine, VECTOR_DIMENSIONS } from '../repos/cosine.js';
import { createMemoryRepo } from '../repos/memory-repo.js';
import type { RawQuery } from '../repos/statement.js';
import { SessionVectorCache } from './session-vectors.js';
import { describeStore, type StoreHarness } from '../__fixtures__/store-targets.js';
import { makeCommit, makeSession, makeStory } from '../__fixtures__/store-fixtures.js';

let seed = 11;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const vector = () => Array.from({ length: VECTOR_DIMENSIONS }, () => rand() * 2 - 1);
const memory = (text: string, embedding = vector()): MemoryToStore => ({ text, importance: 5, kind: 'event', embedding });

async function sessionWith(h: StoreHarness, turns: number, perTurn: number) {
  const story = await h.store.stories.saveStory(makeStory());
  const { id } = await h.store.sessions.createSession(makeSession(story.id, story.currentVersion));
  for (let turn = 1; turn <= turns; turn += 1) {
    await h.store.turns.commitTurn(makeCommit(id, turn, turn - 1, Array.from({ length: perTurn }, (_, i) => memory(`t${turn}m${i}`))));
  }
  return id;
}

/** The reference: every embedding of the session read and ranked exactly, no cache. */
async function exact(h: StoreHarness, sessionId: string, q: number[], limit: number) {
  const uncached = createMemoryRepo(h.opened.db, null, { vectorCacheBytes: 0 });
  return (await uncached.search(sessionId, q, limit)).map((m) => m.id);
}

describeStore('portable search cache', (h) => {
  it.each(['through Drizzle', 'as fixed statements (the hot path)'])('returns exactly what an uncached exact search returns, through inserts, edits and deletes, refreshing %s', async (how) => {
    const sessionId = await sessionWith(h(), 3, 10);
    const cache = new SessionVectorCache(h().opened.db, 64 * 1024 * 1024, how === 'through Drizzle' ? {} : { query: h().opened.query });
    const check = async () => {
      const q = vector();
      const got = (await cache.search(sessionId, q, 7))!.map((m) => m.id);
      expect(got).toEqual(await exact(h(), sessionId, q, 7));
    };
    await check();
    // A new turn's memories arrive through the delta.
    await h().store.turns.commitTurn(makeCommit(sessionId, 4, 3, [memory('late')]));
    await check();
    // An edit that moves a memory to the query's exact direction must show at once.
    const [target] = await h().store.memories.list(sessionId);
    const q = vector();
    await h().store.memories.update(sessionId, target!.id, { embedding: q });
    expect((await cache.search(sessionId, q, 1))![0]!.id).toBe(target!.id);
    // A delete is seen through the row count, and the session reloads.
    await h().store.memories.remove(sessionId, target!.id);
    expect((await cache.search(sessionId, q, 3))!.map((m) => m.id)).not.toContain(target!.id);
    await check();
  });

  it('memory_stats counts and versions every write, bulk statements included, and goes with the session', async () => {
    const sessionId = await sessionWith(h(), 2, 3);
    const stats = async () => (await h().rows<{ revision: string; row_count: number }>(sql`SELECT revision::text AS revision, row_count FROM memory_stats WHERE session_id = ${sessionId}`))[0];
    const before = await stats();
    expect(before?.row_count).toBe(6);
    const [m] = await h().store.memories.list(sessionId);
    await h().store.memories.update(sessionId, m!.id, { pinned: true });
    const edited = await stats();
    expect(edited).toEqual({ revision: String(Number(before!.revision) + 1), row_count: 6 });
    // One statement writing many rows is one revision.
    await h().rows(sql`UPDATE memories SET importance = 9 WHERE session_id = ${sessionId}`);
    expect(await stats()).toEqual({ revision: String(Number(before!.revision) + 2), row_count: 6 });
    await h().store.memories.remove(sessionId, m!.id);
    expect((await stats())?.row_count).toBe(5);
    expect(await h().store.sessions.deleteSession(sessionId)).toBe(true);
    expect(await stats()).toBeUndefined();
  });

  it('a large session searched through the int8 index stays exact through inserts, edits and deletes', async () => {
    const sessionId = await sessionWith(h(), 4, 25);
    const cache = new SessionVectorCache(h().opened.db, 64 * 1024 * 1024, { indexMinRows: 16 });
    const check = async (k: number) => {
      const q = vector();
      expect((await cache.search(sessionId, q, k))!.map((m) => m.id)).toEqual(await exact(h(), sessionId, q, k));
    };
    await check(5);
    await h().store.turns.commitTurn(makeCommit(sessionId, 5, 4, [memory('late-1'), memory('late-2')]));
    await check(10);
    const rows = await h().store.memories.list(sessionId);
    const q = vector();
    await h().store.memories.update(sessionId, rows[7]!.id, { embedding: q });
    expect((await cache.search(sessionId, q, 1))![0]!.id).toBe(rows[7]!.id);
    await h().store.memories.remove(sessionId, rows[7]!.id);
    expect((await cache.search(sessionId, q, 5))!.map((m) => m.id)).not.toContain(rows[7]!.id);
    await check(50);
  });

  it('counts how it served each search: load, hit, refresh; a too-large session is a miss', async () => {
    const sessionId = await sessionWith(h(), 1, 5);
    const cache = new SessionVectorCache(h().opened.db, 64 * 1024 * 1024);
    await cache.search(sessionId, vector(), 3);
    await cache.search(sessionId, vector(), 3);
    await h().store.turns.commitTurn(makeCommit(sessionId, 2, 1, [memory('new')]));
    await cache.search(sessionId, vector(), 3);
    expect(cache.stats()).toMatchObject({ loads: 1, hits: 1, refreshes: 1, misses: 0, sessions: 1 });
    const tiny = new SessionVectorCache(h().opened.db, 1000);
    expect(await tiny.search(sessionId, vector(), 3)).toBeNull();
    expect(await tiny.search(sessionId, vector(), 3)).toBeNull();
    expect(tiny.stats()).toMatchObject({ loads: 0, misses: 2, sessions: 0, bytes: 0 });
  });

  it("answers from its copy with no statement at the revision the turn's load read; a newer one reads the changes, a stale one checks", async () => {
    const sessionId = await sessionWith(h(), 1, 5);
    let refreshes = 0;
    const counted: RawQuery = (statement, values) => ((refreshes += 1), h().opened.query(statement, values));
    const cache = new SessionVectorCache(h().opened.db, 64 * 1024 * 1024, { query: counted });
    const asOf = async () => {
      const { memory } = await h().store.turns.loadTurn(sessionId, 'no-such-task', 5);
      return { revision: memory.revision!, rows: memory.rows };
    };
    const q = vector();
    const first = await asOf();
    expect(first.rows).toBe(5);
    await cache.candidates(sessionId, q, 3, {}, first); // not cached yet: loads the session
    expect((await cache.candidates(sessionId, q, 3, {}, first))!.similar.map((m) => m.id)).toEqual(await exact(h(), sessionId, q, 3));
    expect(refreshes).toBe(0);
    expect(cache.stats()).toMatchObject({ loads: 1, hits: 1, refreshes: 0 });
    // A new memory moves the revision: the next turn's search reads it.
    await h().store.turns.commitTurn(makeCommit(sessionId, 2, 1, [memory('new', q)]));
    const second = await asOf();
    expect(second.revision).toBeGreaterThan(first.revision);
    expect((await cache.candidates(sessionId, q, 1, {}, second))!.similar[0]!.text).toBe('new');
    expect(refreshes).toBe(1);
    // A revision the copy has moved past (an older load) is not trusted: the cache checks.
    await cache.candidates(sessionId, q, 1, {}, first);
    expect(refreshes).toBe(2);
  });

  it('counts the bytes of a session that grew through changes as a fresh load does', async () => {
    const sessionId = await sessionWith(h(), 2, 10);
    const grown = new SessionVectorCache(h().opened.db, 64 * 1024 * 1024, { indexMinRows: 16 });
    await grown.search(sessionId, vector(), 3);
    for (let turn = 3; turn <= 5; turn += 1) {
      await h().store.turns.commitTurn(makeCommit(sessionId, turn, turn - 1, [memory(`grown ${turn}`), memory(`more ${turn}`)]));
      await grown.search(sessionId, vector(), 3);
    }
    const fresh = new SessionVectorCache(h().opened.db, 64 * 1024 * 1024, { indexMinRows: 16 });
    await fresh.search(sessionId, vector(), 3);
    expect(grown.stats().refreshes).toBe(3);
    expect(grown.bytes).toBeGreaterThan(0);
    expect(grown.bytes).toBe(fresh.bytes);
  });

  it('keeps to its byte budget: least recently used sessions go, an oversized session is not cached', async () => {
    const a = await sessionWith(h(), 1, 20);
    const b = await sessionWith(h(), 1, 20);
    const oneSession = 20 * (VECTOR_DIMENSIONS * 4 + 200);
    const cache = new SessionVectorCache(h().opened.db, Math.round(oneSession * 1.5));
    expect(await cache.search(a, vector(), 3)).toHaveLength(3);
    expect(await cache.search(b, vector(), 3)).toHaveLength(3);
    expect(cache.bytes).toBeLessThanOrEqual(Math.round(oneSession * 1.5));
    const tiny = new SessionVectorCache(h().opened.db, 1000);
    expect(await tiny.search(a, vector(), 3)).toBeNull();
    expect(tiny.bytes).toBe(0);
  });

  it('skips memories of another embedding model, as the uncached search does', async () => {
    const sessionId = await sessionWith(h(), 1, 4);
    const [m] = await h().store.memories.list(sessionId);
    await h().store.memories.update(sessionId, m!.id, { embeddingModel: 'other@256' });
    const cache = new SessionVectorCache(h().opened.db, 64 * 1024 * 1024);
    const hits = (await cache.search(sessionId, vector(), 10, { model: 'current@256' }))!;
    expect(hits.map((x) => x.id)).not.toContain(m!.id);
    expect(hits).toHaveLength(3);
  });

  it('ranks like rankByCosine for any query, ties included (property)', async () => {
    const sessionId = await sessionWith(h(), 2, 6);
    const twin = vector();
    await h().store.turns.commitTurn(makeCommit(sessionId, 3, 2, [memory('twin-a', twin), memory('twin-b', twin)]));
    const cache = new SessionVectorCache(h().opened.db, 64 * 1024 * 1024);
    const rows = await h().rows<{ id: string; turn_no: number; embedding: string }>(
      sql`SELECT id, turn_no, array_to_json(embedding)::text AS embedding FROM memories WHERE session_id = ${sessionId}`,
    );
    const candidates = rows.map((r) => ({ id: r.id, turnNo: r.turn_no, embedding: JSON.parse(r.embedding) as number[] }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: VECTOR_DIMENSIONS, maxLength: VECTOR_DIMENSIONS }), fc.integer({ min: 1, max: 20 }), async (q, k) => {
        const want = rankByCosine(q, candidates, k).map((c) => c.id);
        expect((await cache.search(sessionId, q, k))!.map((m) => m.id)).toEqual(want);
      }),
      { numRuns: 40 },
    );
    expect((await cache.search(sessionId, twin, 2))!.map((m) => m.text).sort()).toEqual(['twin-a', 'twin-b']);
  });
});
