/**
 * AI Dungeon story cards exports: an array of `{type, keys, value, title, description}`, where
 * `keys` is one comma-separated string and `value` is what the model sees (`description` is the
 * author's own note and is not sent to the model there, so it is not imported).
 * @module
 */
import { z } from 'zod';
import { LorebookCollector, parseShape, type ParsedLorebook } from './lorebook.js';

const StoryCard = z.looseObject({
  type: z.string().nullish(),
  keys: z.string().nullish(),
  value: z.string(),
  title: z.string().nullish(),
  description: z.string().nullish(),
});
const StoryCards = z.array(StoryCard);

/** Whether `json` is an array of objects shaped like story cards (a `value`, and `keys` as a string). */
export function isAiDungeonExport(json: unknown): json is unknown[] {
  return (
    Array.isArray(json) &&
    json.length > 0 &&
    json.every((c) => typeof c === 'object' && c !== null && !Array.isArray(c) && 'value' in c && (!('keys' in c) || typeof c.keys === 'string'))
  );
}

/** Read story cards, in file order (AI Dungeon has no priority). */
export function readAiDungeonCards(json: unknown): ParsedLorebook {
  const cards = parseShape(StoryCards, json, 'AI Dungeon story cards');
  const out = new LorebookCollector();
  cards.forEach((card, i) => {
    const keywords = (card.keys ?? '').split(',');
    const name = card.title ?? '';
    if (!keywords.some((k) => k.trim())) out.skip(String(i), name, 'no trigger keys: AI Dungeon never includes it');
    else out.add(String(i), { name, keywords, text: card.value, when: null });
  });
  return out.result('ai_dungeon_story_cards');
}
