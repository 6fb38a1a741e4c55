/**
 * Story cards written in the ink file: a knot whose first tags are `# card: Name` and, optionally,
 * `# keywords: a, b, /regex/i` and `# when: trust >= 3` (shared/card-condition.ts). The knot's text is the card's text. Such knots are never
 * diverted to by the story itself; they are lore, read once when the story is loaded.
 * @module
 */
import { Story } from 'inkjs/compiler/Compiler';
import type { LoreCard } from '../../domain/types.js';

/** A card's text is read by running its knot; a knot that runs on this long is cut. */
const MAX_CARD_LINES = 200;

function tagValue(tags: readonly string[], key: string): string | null {
  for (const tag of tags) {
    const colon = tag.indexOf(':');
    if (colon > 0 && tag.slice(0, colon).trim().toLowerCase() === key) return tag.slice(colon + 1).trim();
  }
  return null;
}

/** Split `a, b, /x,y/i` on commas outside `/…/` regex keywords. */
export function splitKeywords(value: string): string[] {
  const token = /\s*(\/(?:\\.|[^/\\])+\/[a-z]*(?=\s*(?:,|$))|[^,]*)\s*(?:,|$)/gy;
  const out: string[] = [];
  for (let m = token.exec(value); m && m[0].length > 0; m = token.exec(value)) out.push(m[1]!.trim());
  return out.filter(Boolean);
}

/** The cards of a compiled story (none when it has no `# card:` knot). */
export function readStoryCards(compiledJson: string): LoreCard[] {
  const story = new Story(compiledJson);
  const knots = [...story.mainContentContainer.namedContent.keys()];
  const cards: LoreCard[] = [];
  for (const knot of knots) {
    let tags: string[] | null;
    try {
      tags = story.TagsForContentAtPath(knot);
    } catch {
      continue;
    }
    const name = tags ? tagValue(tags, 'card') : null;
    if (!tags || !name) continue;
    const lines: string[] = [];
    try {
      story.ResetState();
      story.ChoosePathString(knot);
      while (story.canContinue && lines.length < MAX_CARD_LINES) lines.push(story.Continue() ?? '');
    } catch {
      continue; // a card knot that does not run is skipped, never fatal to the story
    }
    const text = lines.join('').trim();
    // With a `# when:` condition and no `# keywords:`, the condition alone decides; otherwise the name is the keyword.
    const when = tagValue(tags, 'when');
    const keywords = tagValue(tags, 'keywords') ?? (when ? '' : name);
    if (text) cards.push({ name, keywords: splitKeywords(keywords), text, ...(when ? { when } : {}) });
  }
  return cards;
}
