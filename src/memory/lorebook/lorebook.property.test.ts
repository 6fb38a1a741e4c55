import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDramaError } from '../../domain/errors.js';
import type { LoreCard } from '../../domain/types.js';
import { characterPng, fixture } from './__fixtures__/png.js';
import { parseLorebook } from './parse-lorebook.js';
import { toWorldInfo } from './sillytavern-export.js';

/** Parse, and accept only a result or one of the two import errors. */
function parsesOrRefuses(bytes: Uint8Array): void {
  try {
    parseLorebook(bytes);
  } catch (err) {
    expect(isDramaError(err) && ['lorebook_invalid', 'lorebook_unknown_format'].includes(err.code), String(err)).toBe(true);
  }
}

/** Text as a card stores it: no control characters, trimmed, not empty. */
const cleanText = (max: number) =>
  fc
    .string({ unit: fc.constantFrom(...'abcxyz 字é.,\'"{}[]/\\\n'.split('')), minLength: 1, maxLength: max })
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const cardArb: fc.Arbitrary<LoreCard> = fc.record({
  name: cleanText(60),
  keywords: fc.array(cleanText(20), { maxLength: 5 }),
  text: fc.oneof(cleanText(300), cleanText(2000)),
  when: fc.constantFrom(null, 'true', 'trust >= 3', 'visits("tower.top") > 0 and not met_keeper'),
});

describe('lorebook properties', () => {
  it('export to SillyTavern World Info, then import: the same cards in the same order', () => {
    fc.assert(
      fc.property(fc.array(cardArb, { maxLength: 20 }), (cards) => {
        const parsed = parseLorebook(Buffer.from(JSON.stringify(toWorldInfo(cards))));
        expect(parsed.skipped).toEqual([]);
        // A text of at most 2,000 characters stays whole; so a card stays one card.
        expect(parsed.entries.map(({ name, keywords, text, when }) => ({ name, keywords, text, when }))).toEqual(cards.map((c) => ({ ...c, when: c.when ?? null })));
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary bytes are read or refused with a lorebook error, never anything else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), parsesOrRefuses), { numRuns: 300 });
  });

  it('arbitrary JSON, in every format’s clothes, is read or refused with a lorebook error', () => {
    const shaped = fc.oneof(
      fc.jsonValue(),
      fc.record({ entries: fc.jsonValue() }),
      fc.record({ entries: fc.dictionary(fc.string(), fc.dictionary(fc.constantFrom('key', 'content', 'constant', 'order', 'keysecondary', 'probability', 'extensions'), fc.jsonValue())) }),
      fc.record({ lorebookVersion: fc.jsonValue(), entries: fc.jsonValue(), categories: fc.jsonValue() }),
      fc.record({ spec: fc.constantFrom('chara_card_v2', 'chara_card_v3'), data: fc.jsonValue() }),
      fc.array(fc.record({ keys: fc.jsonValue(), value: fc.jsonValue(), title: fc.jsonValue() })),
    );
    fc.assert(fc.property(shaped, (value) => parsesOrRefuses(Buffer.from(JSON.stringify(value) ?? 'null'))), { numRuns: 400 });
  });

  it('a character PNG with bytes changed or cut is read or refused with a lorebook error', () => {
    const png = characterPng(JSON.parse(fixture('character-v2.json').toString()));
    const damaged = fc.record({ at: fc.nat({ max: png.length - 1 }), value: fc.integer({ min: 0, max: 255 }), cut: fc.nat({ max: png.length }) }).map(({ at, value, cut }) => {
      const copy = Buffer.from(png);
      copy[at] = value;
      return copy.subarray(0, Math.max(cut, 8));
    });
    fc.assert(fc.property(damaged, parsesOrRefuses), { numRuns: 300 });
  });
});
