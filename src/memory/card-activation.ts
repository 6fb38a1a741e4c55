/**
 * Which story cards are offered to the context builder this turn. Keyword and regex matches are
 * decided by the builder itself (every card is passed on); here a card is additionally activated
 * when its embedding is close to the turn's query (input + scene).
 * @module
 */
import type { CardTrace } from '../domain/ports/memory.js';
import type { LoreCard } from '../domain/types.js';
import { cosine } from './query-vector.js';

export interface EmbeddedCard extends LoreCard {
  source: CardTrace['source'];
  /** Null when the card has no embedding in the current space (yet). */
  embedding: number[] | null;
}

/**
 * Every card for the builder, the `max` closest at or above `threshold` marked with their
 * `similarity` (and so offered without a keyword match), plus the trace.
 */
export function activateCards(
  cards: readonly EmbeddedCard[],
  query: readonly number[],
  threshold: number,
  max: number,
): { cards: (LoreCard & { similarity?: number })[]; trace: CardTrace[] } {
  const sims = cards.map((c) => (c.embedding && query.length > 0 ? cosine(c.embedding, query) : null));
  const eligible = cards
    .map((_, i) => i)
    .filter((i) => sims[i] !== null && sims[i]! >= threshold)
    .sort((a, b) => sims[b]! - sims[a]! || a - b)
    .slice(0, Math.max(0, max));
  const active = new Set(eligible);
  return {
    cards: cards.map((c, i) => ({ name: c.name, keywords: c.keywords, text: c.text, ...(active.has(i) ? { similarity: sims[i]! } : {}) })),
    trace: cards.map((c, i) => ({ name: c.name, source: c.source, similarity: sims[i] ?? null, activatedBySimilarity: active.has(i) })),
  };
}
