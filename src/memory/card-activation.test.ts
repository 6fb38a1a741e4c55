import { describe, expect, it } from 'vitest';
import { triggeredCards } from '../llm/context/cards.js';
import { activateCards, type EmbeddedCard } from './card-activation.js';

const card = (name: string, embedding: number[] | null, keywords: string[] = []): EmbeddedCard => ({ name, keywords, text: `${name} text`, source: 'story', embedding });

describe('card activation', () => {
  it('marks the closest cards at or above the threshold, at most `max`; cards without a vector never', () => {
    const cards = [card('far', [0, 1]), card('near', [1, 0]), card('close', [0.8, 0.6]), card('none', null)];
    const got = activateCards(cards, [1, 0], 0.5, 1);
    expect(got.cards.map((c) => c.similarity)).toEqual([undefined, 1, undefined, undefined]);
    expect(got.trace.map((t) => [t.name, t.activatedBySimilarity])).toEqual([['far', false], ['near', true], ['close', false], ['none', false]]);
    expect(activateCards(cards, [1, 0], 0.5, 3).cards.filter((c) => c.similarity !== undefined).map((c) => c.name)).toEqual(['near', 'close']);
  });

  it('the context builder offers keyword and regex matches first, then similar cards, closest first', () => {
    const cards = [
      { name: 'similar-a', keywords: ['zzz'], text: 'a', similarity: 0.5 },
      { name: 'regex', keywords: ['/light ?keeper/i'], text: 'r' },
      { name: 'similar-b', keywords: [], text: 'b', similarity: 0.9 },
      { name: 'keyword', keywords: ['Mara'], text: 'k' },
      { name: 'silent', keywords: ['nothing'], text: 's' },
    ];
    expect(triggeredCards(cards, ['I greet mara', 'The Lightkeeper waits', '']).map((c) => c.name)).toEqual(['keyword', 'regex', 'similar-b', 'similar-a']);
  });
});
