/**
 * Which story cards are offered to the context builder this turn. Keyword and regex matches are
 * decided by the builder itself (every card is passed on); here a card is additionally activated
 * when its embedding is close to the turn's query (input + scene).
 * @module
 */
import type { CardTrace } from '../domain/ports/memory.js';
import { LRUCache } from 'lru-cache';
import type { LoreCard } from '../domain/types.js';
import { holds, parseCondition, type CardCondition, type ConditionScope } from '../shared/card-condition.js';
import { cosine } from './query-vector.js';

/** Conditions are the same every turn of a story: parse each text once (a bounded cache; `false`: does not parse). */
const parsed = new LRUCache<string, CardCondition | false>({ max: 2000 });
function conditionOf(text: string): CardCondition | null {
  let c = parsed.get(text);
  if (c === undefined) {
    try {
      c = parseCondition(text);
    } catch {
      // Checked when saved; one that no longer parses keeps its card inactive.
      c = false;
    }
    parsed.set(text, c);
  }
  return c || null;
}

/** Whether the card's `when` holds (true without one). */
function conditionHolds(card: LoreCard, scope: ConditionScope | undefined): boolean {
  if (!card.when) return true;
  const condition = conditionOf(card.when);
  return condition !== null && scope !== undefined && holds(condition, scope);
}

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
  all: readonly EmbeddedCard[],
  query: readonly number[],
  threshold: number,
  max: number,
  scope?: ConditionScope,
): { cards: (LoreCard & { similarity?: number; conditional?: boolean })[]; trace: CardTrace[] } {
  // A card whose condition fails is not offered at all; one whose condition holds is offered even without a keyword match.
  const verdicts = all.map((c) => conditionHolds(c, scope));
  const conditionTrace = (c: EmbeddedCard, i: number) => (c.when ? { when: c.when, conditionHolds: verdicts[i]! } : {});
  const failed = all.flatMap((c, i) => (verdicts[i] ? [] : [{ name: c.name, source: c.source, similarity: null, activatedBySimilarity: false, ...conditionTrace(c, i) }]));
  const cards = all.filter((_, i) => verdicts[i]);
  const kept = all.flatMap((c, i) => (verdicts[i] ? [conditionTrace(c, i)] : []));
  const sims = cards.map((c) => (c.embedding && query.length > 0 ? cosine(c.embedding, query) : null));
  const eligible = cards
    .map((_, i) => i)
    .filter((i) => sims[i] !== null && sims[i]! >= threshold)
    .sort((a, b) => sims[b]! - sims[a]! || a - b)
    .slice(0, Math.max(0, max));
  const active = new Set(eligible);
  return {
    cards: cards.map((c, i) => ({ name: c.name, keywords: c.keywords, text: c.text, ...(active.has(i) ? { similarity: sims[i]! } : {}), ...(c.when ? { conditional: true } : {}) })),
    trace: [...cards.map((c, i) => ({ name: c.name, source: c.source, similarity: sims[i] ?? null, activatedBySimilarity: active.has(i), ...kept[i] })), ...failed],
  };
}
