import { describe, expect, it } from 'vitest';
import { hasNestedQuantifier, keywordMatcher, matchText, triggeredCards, triggerTexts, type StoryCard } from './cards.js';

const matches = (keyword: string, text: string) => keywordMatcher(keyword)?.(matchText(text)) ?? false;
const card = (name: string, ...keywords: string[]): StoryCard => ({ name, keywords, text: `About ${name}.` });

describe('story card keywords', () => {
  it('match case- and width-insensitively at the start of a word', () => {
    expect(matches('Dragon', 'the DRAGONS wake')).toBe(true);
    expect(matches('dragon', 'ＤＲＡＧＯＮ')).toBe(true);
    expect(matches('cat', 'concatenate')).toBe(false);
    expect(matches('anna', 'I saw Anna.')).toBe(true);
    expect(matches('anna', '我见到了Anna')).toBe(true);
    expect(matches('old  man', 'the old\nman')).toBe(true);
    expect(matches('', 'anything')).toBe(false);
  });

  it('match CJK anywhere, since CJK has no word boundaries', () => {
    expect(matches('守塔人', '我想问问守塔人关于灯的事')).toBe(true);
    expect(matches('龙', '岩石下睡着一条龙')).toBe(true);
    expect(matches('码头', '我想回去灯室')).toBe(false);
  });

  it('take /regex/flags keywords, refusing broken and catastrophic ones', () => {
    expect(matches('/dra(gon|ke)s?/i', 'A Drake!')).toBe(true);
    expect(matches('/^Anna$/', 'anna')).toBe(false);
    expect(matches('/[unclosed/', '[unclosed')).toBe(false);
    expect(matches('/(a+)+$/', 'aaaa')).toBe(false);
    expect(hasNestedQuantifier('(a+)+$')).toBe(true);
    expect(hasNestedQuantifier('(\\w*x)*')).toBe(true);
    expect(hasNestedQuantifier('((ab)+c)*')).toBe(true);
    expect(hasNestedQuantifier('(ab)+c*[+*]')).toBe(false);
    expect(hasNestedQuantifier('(a+)?')).toBe(false);
  });
});

describe('triggeredCards', () => {
  const cards = [card('Harbour', 'harbour'), card('Keeper', 'keeper'), card('Lamp', '/lamp\\s+room/'), card('Sea', 'sea'), card('Empty')];

  it('orders cards by where the turn mentions them: input, story text, last turn', () => {
    const texts = triggerTexts({
      input: 'I ask the keeper',
      storyText: 'Stairs lead to the lamp  room.',
      history: [{ turnNo: 1, input: 'look', action: 'do', response: 'The harbour is empty.', storyText: '' }],
    });
    expect(triggeredCards(cards, texts).map((c) => c.name)).toEqual(['Keeper', 'Lamp', 'Harbour']);
  });

  it('includes nothing the turn does not mention', () => {
    expect(triggeredCards(cards, triggerTexts({ input: 'I wait', storyText: 'Nothing stirs.', history: [] }))).toEqual([]);
  });

  it('triggers a Chinese card from Chinese input', () => {
    const zh = [card('守塔人', '守塔人'), card('码头', '码头')];
    expect(triggeredCards(zh, ['我想问问守塔人', '', '']).map((c) => c.name)).toEqual(['守塔人']);
  });
});
