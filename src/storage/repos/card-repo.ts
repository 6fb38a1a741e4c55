import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { CardScope, CardStore, CardToStore } from '../../domain/ports/card-store.js';
import { cardEmbeddingText } from '../../domain/card-text.js';
import type { StoredCard } from '../../domain/types.js';
import { cards } from '../schema/index.js';
import type { CardRow } from '../schema/types.js';
import type { Db } from './query.js';

function toCard(r: CardRow): StoredCard {
  return { id: r.id, storyId: r.storyId, sessionId: r.sessionId, name: r.name, keywords: r.keywords, text: r.text, when: r.when ?? null, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

function inScope(scope: CardScope): SQL {
  return 'storyId' in scope ? eq(cards.storyId, scope.storyId) : eq(cards.sessionId, scope.sessionId);
}

const ORDER = [asc(cards.createdAt), sql`${cards.id} COLLATE "C"`];

/** Cards defined through the API, per story or per session. */
export function createCardRepo(db: Db): CardStore {
  async function addMany(scope: CardScope, toStore: readonly CardToStore[]): Promise<StoredCard[]> {
    if (toStore.length === 0) return [];
    // One statement: all or none. Creation times a millisecond apart (the database's clock, as for
    // every card) keep the given order, since cards are listed oldest first.
    const rows = await db
      .insert(cards)
      .values(
        toStore.map((card, i) => ({
          id: randomUUID(),
          storyId: 'storyId' in scope ? scope.storyId : null,
          sessionId: 'sessionId' in scope ? scope.sessionId : null,
          name: card.name,
          keywords: card.keywords,
          text: card.text,
          when: card.when ?? null,
          embedding: card.embedding,
          embeddingModel: card.embeddingModel ?? null,
          createdAt: sql`now() + ${i}::int * interval '1 millisecond'`,
        })),
      )
      .returning();
    return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map(toCard);
  }

  return {
    async list(scope) {
      const rows = await db.select().from(cards).where(inScope(scope)).orderBy(...ORDER);
      return rows.map(toCard);
    },

    async forSession(sessionId, storyId) {
      const rows = await db
        .select()
        .from(cards)
        .where(or(eq(cards.sessionId, sessionId), and(eq(cards.storyId, storyId), isNull(cards.sessionId))))
        .orderBy(...ORDER);
      // Story-wide cards first, then the session's own.
      rows.sort((a, b) => Number(a.sessionId !== null) - Number(b.sessionId !== null));
      return rows.map((r) => ({ ...toCard(r), embedding: r.embedding, embeddingModel: r.embeddingModel }));
    },

    async get(scope, id) {
      const [row] = await db.select().from(cards).where(and(inScope(scope), eq(cards.id, id))).limit(1);
      return row ? toCard(row) : null;
    },

    async add(scope, card: CardToStore) {
      const [row] = await addMany(scope, [card]);
      if (!row) throw new Error('card insert returned no row');
      return row;
    },

    addMany,


    async update(scope, id, patch) {
      const set: Partial<typeof cards.$inferInsert> = { updatedAt: new Date() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.keywords !== undefined) set.keywords = patch.keywords;
      if (patch.text !== undefined) set.text = patch.text;
      if (patch.when !== undefined) set.when = patch.when;
      if (patch.embedding !== undefined) set.embedding = patch.embedding;
      if (patch.embeddingModel !== undefined) set.embeddingModel = patch.embeddingModel;
      const [row] = await db.update(cards).set(set).where(and(inScope(scope), eq(cards.id, id))).returning();
      return row ? toCard(row) : null;
    },

    async remove(scope, id) {
      const rows = await db.delete(cards).where(and(inScope(scope), eq(cards.id, id))).returning({ id: cards.id });
      return rows.length > 0;
    },

    async staleEmbeddings(model, limit) {
      const rows = await db
        .select({ id: cards.id, name: cards.name, text: cards.text })
        .from(cards)
        .where(sql`${cards.embeddingModel} IS NOT NULL AND ${cards.embeddingModel} <> ${model}::text`)
        .orderBy(...ORDER)
        .limit(limit);
      return rows.map((r) => ({ id: r.id, text: cardEmbeddingText(r) }));
    },

    async setEmbeddings(rows, model) {
      if (rows.length === 0) return;
      await db.execute(sql`
        UPDATE cards AS c SET embedding = r.embedding, embedding_model = ${model}::text, updated_at = now()
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id text, embedding real[])
         WHERE c.id = r.id`);
    },
  };
}
