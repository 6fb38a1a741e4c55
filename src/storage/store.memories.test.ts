import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { expect, it, vi } from 'vitest';
import type { MemoryToStore } from '../domain/ports/turn-store.js';
import { rankByCosine, VECTOR_DIMENSIONS } from './repos/cosine.js';
import { createMemoryRepo } from './repos/memory-repo.js';
import { describeStore, type StoreHarness } from './__fixtures__/store-targets.js';
import { makeCommit, makeSession, makeStory } from './__fixtures__/store-fixtures.js';

/** Deterministic vectors (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
const randomVector = (n = VECTOR_DIMENSIONS) => Array.from({ length: n }, () => rand() * 2 - 1);
const dialect = new PgDialect();
const memory = (text: string, embedding: number[]): MemoryToStore => ({ text, importance: 5, kind: 'event', embedding });

/** A session with 4 turns of memories, including exact ties, a zero and a wrongly sized vector. */
async function seed(h: StoreHarness) {
  const story = await h.store.stories.saveStory(makeStory());
  const { id } = await h.store.sessions.createSession(makeSession(story.id, story.currentVersion));
  const twin = randomVector();
  const all: Array<{ turnNo: number; m: MemoryToStore }> = [];
  for (let turn = 1; turn <= 4; turn += 1) {
    const ms = [memory(`t${turn}a`, randomVector()), memory(`t${turn}b`, randomVector()), memory(`twin${turn}`, twin)];
    if (turn === 2) ms.push(memory('twin2-again', twin), memory('zero', new Array<number>(VECTOR_DIMENSIONS).fill(0)), memory('short', [1, 2, 3]));
    await h.store.turns.commitTurn(makeCommit(id, turn, turn - 1, ms));
    all.push(...ms.map((m) => ({ turnNo: turn, m })));
  }
  return { sessionId: id, twin, all };
}

describeStore('memories', (h) => {
  it('detects the vector support of the database', () => {
    const { store, target, opened } = h();
    // PGlite ships pgvector; the Debian server here has none.
    expect(store.vectorSupport).toBe(target.name === 'pglite' ? 'pgvector' : 'portable');
    expect(opened.pgvector !== null).toBe(store.vectorSupport === 'pgvector');
  });

  it('stores memories with the turn and lists them', async () => {
    const { sessionId } = await seed(h());
    const list = await h().store.memories.list(sessionId);
    expect(list).toHaveLength(15);
    expect(list[0]).toMatchObject({ sessionId, turnNo: 1, kind: 'event', importance: 5 });
    expect(list.map((m) => m.turnNo)).toEqual([...list.map((m) => m.turnNo)].sort());
    if (h().store.vectorSupport === 'pgvector') {
      const [row] = await h().rows<{ n: number }>(
        sql`SELECT count(embedding_vec)::int AS n FROM memories WHERE session_id = ${sessionId}`,
      );
      expect(row?.n).toBe(13); // all but the zero and the 3-d vector
    }
  });

  it('ranks by cosine like brute force, ties by newer turn then id, and never leaks other sessions', async () => {
    const { sessionId, twin } = await seed(h());
    await seed(h()); // another session with its own twins
    const spy = vi.spyOn(h().opened.db, 'execute');
    let vectorQueries = 0;
    const expectRanking = async (query: number[], limit: number) => {
      spy.mockClear();
      const got = await h().store.memories.search(sessionId, query, limit);
      vectorQueries += spy.mock.calls.filter(([q]) => dialect.sqlToQuery(q as SQL).sql.includes('<=>')).length;
      const rows = await h().rows<{ id: string; turn_no: number; embedding: number[] }>(
        sql`SELECT id, turn_no, embedding FROM memories WHERE session_id = ${sessionId}`,
      );
      const want = rankByCosine(query, rows.map((r) => ({ id: r.id, turnNo: r.turn_no, embedding: r.embedding })), limit);
      expect(got.map((m) => m.id)).toEqual(want.map((m) => m.id));
      got.forEach((m, i) => expect(m.score).toBeCloseTo(want[i]!.score, 5));
      expect(got.every((m) => m.sessionId === sessionId)).toBe(true);
      return got;
    };
    await expectRanking(randomVector(), 5);
    await expectRanking(randomVector(), 100);
    const twins = await expectRanking(twin, 5);
    expect(twins.map((m) => m.text).slice(0, 5)).toEqual(['twin4', 'twin3', expect.stringMatching(/^twin2/), expect.stringMatching(/^twin2/), 'twin1']);
    expect(twins[0]!.score).toBeCloseTo(1, 5);
    // The pgvector path is the one answering (the database ranks with <=>); portable ranks in JS.
    spy.mockRestore();
    expect(vectorQueries > 0).toBe(h().store.vectorSupport === 'pgvector');
    expect(await h().store.memories.search(sessionId, new Array<number>(VECTOR_DIMENSIONS).fill(0), 5)).toEqual([]);
    expect(await h().store.memories.search(sessionId, twin, 0)).toEqual([]);
    expect((await h().store.memories.search(sessionId, [1, 2, 3], 5)).map((m) => m.text)).toEqual(['short']);
  });

  it('gives the same answer on the pgvector and the portable path over the same rows', async () => {
    const { opened } = h();
    if (!opened.pgvector) return; // only a database with pgvector has both paths
    const { sessionId, twin } = await seed(h());
    const vectorRepo = createMemoryRepo(opened.db, opened.pgvector);
    const portableRepo = createMemoryRepo(opened.db, null);
    for (const query of [twin, randomVector(), randomVector(), randomVector()]) {
      const [a, b] = await Promise.all([vectorRepo.search(sessionId, query, 8), portableRepo.search(sessionId, query, 8)]);
      expect(a.map((m) => m.id)).toEqual(b.map((m) => m.id));
      a.forEach((m, i) => expect(m.score).toBeCloseTo(b[i]!.score!, 5));
    }
  });
});
