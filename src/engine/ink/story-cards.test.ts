import { describe, expect, it } from 'vitest';
import { Compiler } from 'inkjs/compiler/Compiler';
import { readStoryCards, splitKeywords } from './story-cards.js';

describe('story cards in ink', () => {
  it('reads knots tagged `# card:` with their keywords and text, and nothing else', () => {
    const source = `Hello.
* [Go] -> END

=== card_tom ===
# card: Old Tom
# keywords: Tom, keeper, /old\\\\s+man/i
Old Tom has kept the light for forty years.
He does not trust the sea.
-> END

=== plain_knot ===
# mood: grim
Not a card.
-> END
`;
    const json = new Compiler(source).Compile().ToJson()!;
    expect(readStoryCards(json)).toEqual([
      { name: 'Old Tom', keywords: ['Tom', 'keeper', '/old\\s+man/i'], text: 'Old Tom has kept the light for forty years.\nHe does not trust the sea.' },
    ]);
  });

  it('splits keywords on commas outside regexes', () => {
    expect(splitKeywords('a, /x{1,2}/i ,b,, ')).toEqual(['a', '/x{1,2}/i', 'b']);
  });
});
