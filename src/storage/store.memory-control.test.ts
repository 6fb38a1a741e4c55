import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.js';
import { startReembedding } from '../memory/reembed-job.js';
import type { Embedder } from '../domain/ports/embedder.js';
import { VECTOR_DIMENSIONS } from './repos/cosine.js';
import { describeStore, type StoreHarness } from './__fixtures__/store-targets.js';
import { makeCommit, makeSession, makeStory } from './__fixtures__/store-fixtures.js';

const axis = (i: number, tilt = 0) => Array.from({ length: VECTOR_DIMENSIONS }, (_, j) => (j === i ? 1 : j === i + 1 ? tilt : 0));

async function newSession(h: StoreHarness) {
  const story = await h.store.stories.saveStory(makeStory());
  const session = await h.store.sessions.createSession(makeSession(story.id, story.currentVersion));
  return { storyId: story.id, sessionId: session.id };
}

describeStore('memory control and cards', (h) => {
  it('adds, edits, pins and deletes memories; wrong session ids see nothing', async () => {
    const { store } = h();
    const { sessionId } = await newSession(h());
    const added = await store.memories.add({ sessionId, turnNo: 3, kind: 'fact', text: 'The key is under the stone', importance: 7, embedding: axis(0), embeddingModel: 'm@256' });
    expect(added).toMatchObject({ sessionId, turnNo: 3, kind: 'fact', importance: 7, pinned: false });
    expect(await store.memories.get('other-session', added!.id)).toBeNull();
    expect(await store.memories.update('other-session', added!.id, { pinned: true })).toBeNull();
    expect(await store.memories.remove('other-session', added!.id)).toBe(false);
    const edited = await store.memories.update(sessionId, added!.id, { text: 'The key is in the well', pinned: true, importance: 9 });
    expect(edited).toMatchObject({ text: 'The key is in the well', pinned: true, importance: 9 });
    expect((await store.memories.list(sessionId)).map((m) => m.text)).toEqual(['The key is in the well']);
    expect(await store.memories.remove(sessionId, added!.id)).toBe(true);
    expect(await store.memories.list(sessionId)).toEqual([]);
  });

  it('candidates: the most similar plus every pinned one, the same on pgvector and portable paths', async () => {
    const { store } = h();
    const { sessionId } = await newSession(h());
    for (let i = 0; i < 12; i++) {
      await store.memories.add({ sessionId, turnNo: i, kind: 'event', text: `m${i}`, importance: 5, embedding: axis(i, 0.5), embeddingModel: 'm@256', pinned: i === 11 });
    }
    // Another model's vector is ignored until re-embedded.
    await store.memories.add({ sessionId, turnNo: 1, kind: 'event', text: 'foreign', importance: 5, embedding: axis(0), embeddingModel: 'other@256' });
    await store.memories.add({ sessionId, turnNo: 1, kind: 'event', text: 'foreign', importance: 5, embedding: axis(1), embeddingModel: 'other@256' });
    const got = await store.memories.candidates(sessionId, axis(1), { limit: 2, model: 'm@256' });
    const texts = got.map((m) => m.text).sort();
    expect(texts).toEqual(['m0', 'm1', 'm11'].sort());
    expect(got.find((m) => m.text === 'm1')!.similarity).toBeCloseTo(1 / Math.sqrt(1.25), 5);
    expect(got.find((m) => m.text === 'm0')!.similarity).toBeCloseTo(0.5 / Math.sqrt(1.25), 5);
    expect(got.find((m) => m.text === 'm11')!.similarity).toBeCloseTo(0, 5);
  });

  it('stores one summary per (session, turn): folding twice is a no-op', async () => {
    const { store } = h();
    const { sessionId } = await newSession(h());
    const first = await store.memories.add({ sessionId, turnNo: 14, kind: 'summary', text: 'so far', importance: 6, embedding: axis(1) });
    const again = await store.memories.add({ sessionId, turnNo: 14, kind: 'summary', text: 'so far (again)', importance: 6, embedding: axis(1) });
    expect(first).not.toBeNull();
    expect(again).toBeNull();
    expect((await store.memories.list(sessionId, { kind: 'summary', limit: 1 })).map((m) => m.text)).toEqual(['so far']);
  });

  it('cards per story and per session; a session sees its story’s and its own', async () => {
    const { store } = h();
    const { storyId, sessionId } = await newSession(h());
    const storyCard = await store.cards.add({ storyId }, { name: 'Tom', keywords: ['Tom'], text: 'The keeper', embedding: axis(2) });
    const own = await store.cards.add({ sessionId }, { name: 'Mine', keywords: ['/mi+ne/i'], text: 'My card', embedding: axis(3), embeddingModel: 'm@256' });
    expect((await store.cards.forSession(sessionId, storyId)).map((c) => c.name)).toEqual(['Tom', 'Mine']);
    expect(await store.cards.get({ sessionId }, storyCard.id)).toBeNull(); // scopes do not mix
    expect(await store.cards.update({ storyId }, storyCard.id, { text: 'The old keeper' })).toMatchObject({ text: 'The old keeper' });
    expect(await store.cards.remove({ sessionId }, own.id)).toBe(true);
    expect((await store.cards.list({ sessionId })).length).toBe(0);
    await expect(h().rows(sql`INSERT INTO cards (id, name, keywords, text, embedding) VALUES ('x', 'n', '[]', 't', '{}')`)).rejects.toThrow();
  });

  it('addMany stores cards in the given order, all or none', async () => {
    const { store } = h();
    const { storyId } = await newSession(h());
    const card = (i: number) => ({ name: `c${i}`, keywords: [`k${i}`], text: `card ${i}`, when: i % 2 ? 'true' : null, embedding: axis(i % 10), embeddingModel: 'm@256' });
    const added = await store.cards.addMany({ storyId }, Array.from({ length: 60 }, (_, i) => card(59 - i)));
    expect(added.map((c) => c.name)).toEqual(Array.from({ length: 60 }, (_, i) => `c${59 - i}`));
    expect((await store.cards.list({ storyId })).map((c) => c.name)).toEqual(added.map((c) => c.name));
    expect(added[0]).toMatchObject({ storyId, sessionId: null, keywords: ['k59'], when: 'true' });
    // PostgreSQL refuses a NUL character: the one bad card fails the whole batch.
    await expect(store.cards.addMany({ storyId }, [card(100), { ...card(101), text: 'bad\u0000card' }])).rejects.toThrow();
    expect((await store.cards.list({ storyId })).length).toBe(60);
  });

  it('deleting a session deletes its turns, memories and cards', async () => {
    const { store } = h();
    const { sessionId } = await newSession(h());
    await store.turns.commitTurn(makeCommit(sessionId, 1, 0, [{ text: 'e', importance: 3, kind: 'event', embedding: axis(4) }]));
    await store.cards.add({ sessionId }, { name: 'c', keywords: [], text: 't', embedding: axis(5) });
    expect(await store.sessions.deleteSession(sessionId)).toBe(true);
    expect(await store.sessions.deleteSession(sessionId)).toBe(false);
    for (const table of ['memories', 'cards', 'turns']) {
      const [row] = await h().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE session_id = ${sessionId}`);
      expect(row?.n).toBe(0);
    }
  });

  it('re-embeds rows of another model in the background; search ignores them until then', async () => {
    const { store } = h();
    const { sessionId, storyId } = await newSession(h());
    await store.memories.add({ sessionId, turnNo: 1, kind: 'fact', text: 'old space', importance: 5, embedding: axis(7), embeddingModel: 'old@256' });
    await store.cards.add({ storyId }, { name: 'card', keywords: [], text: 'old card', embedding: axis(7), embeddingModel: 'old@256' });
    const embedder: Embedder = { modelId: 'new', dimensions: VECTOR_DIMENSIONS, embed: async (texts) => texts.map(() => axis(9)) };
    expect(await store.memories.search(sessionId, axis(9), 5, { model: 'new@256' })).toEqual([]);
    const job = startReembedding({ store, embedder, logger: silentLogger() }, { batchSize: 1 });
    expect(await job.done).toBeGreaterThanOrEqual(2);
    const hits = await store.memories.search(sessionId, axis(9), 5, { model: 'new@256' });
    expect(hits.map((m) => m.text)).toEqual(['old space']);
    expect(hits[0]!.score).toBeCloseTo(1, 5);
    expect(await store.cards.staleEmbeddings('new@256', 10)).toEqual([]);
  });
});
