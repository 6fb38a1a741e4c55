import type { LoreCard, StoredCard } from '../types.js';

/** Where a card applies: every session of a story, or one session. */
export type CardScope = { storyId: string } | { sessionId: string };

/** A card with the embedding of its text, ready to store. */
export interface CardToStore extends LoreCard {
  embedding: number[];
  embeddingModel?: string;
}

/** Story cards defined through the API (cards written in the ink file come with the story). */
export interface CardStore {
  /** The scope's cards, oldest first. */
  list(scope: CardScope): Promise<StoredCard[]>;
  /** The cards in effect for a session: its story's and its own, with embeddings, oldest first. */
  forSession(sessionId: string, storyId: string): Promise<(StoredCard & { embedding: number[]; embeddingModel: string | null })[]>;
  get(scope: CardScope, id: string): Promise<StoredCard | null>;
  add(scope: CardScope, card: CardToStore): Promise<StoredCard>;
  /** Store several cards at once, all or none, in this order (oldest first); returned in the same order. */
  addMany(scope: CardScope, cards: readonly CardToStore[]): Promise<StoredCard[]>;
  update(scope: CardScope, id: string, patch: Partial<CardToStore>): Promise<StoredCard | null>;
  remove(scope: CardScope, id: string): Promise<boolean>;
  /** Cards embedded by another model than `model`, oldest first. */
  staleEmbeddings(model: string, limit: number): Promise<{ id: string; text: string }[]>;
  setEmbeddings(rows: { id: string; embedding: number[] }[], model: string): Promise<void>;
}
