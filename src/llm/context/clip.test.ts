import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens, truncateToTokens } from '../../shared/text.js';
import { clipHead, clipTail, keepHeadTokens, keepTailTokens } from './clip.js';

const boundaries = (text: string) => new Set([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.index).concat(text.length));
// Words, CJK, emoji with modifiers and ZWJ, combining accents, flags and odd whitespace.
const piece = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcdefghij'), minLength: 1, maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'灯塔守人雨窗码头'), minLength: 1, maxLength: 8 }),
  fc.constantFrom(' ', '  ', '\n', '.', '👍🏽', '👩‍👩‍👧', 'é', 'e\u0301', '🇫🇷', 'ｗｏｒｄ'),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const text = fc.array(piece, { maxLength: 80 }).map((ps) => ps.join(''));

describe('clip', () => {
  it('keeps the same prefix as truncateToTokens, without segmenting the whole text', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 120 }), (t, max) => {
        expect(keepHeadTokens(t, max)).toBe(truncateToTokens(t, max));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the longest fitting suffix, starting on a grapheme boundary', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 120 }), (t, max) => {
        const tail = keepTailTokens(t, max);
        expect(t.endsWith(tail)).toBe(true);
        expect(countTokens(tail)).toBeLessThanOrEqual(Math.max(max, countTokens(t) <= max ? countTokens(t) : 0));
        if (tail !== t && tail.length > 0) expect(boundaries(t).has(t.length - tail.length)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('marks a cut with an ellipsis inside the budget', () => {
    const long = 'The lamp was lit long ago. '.repeat(50);
    const head = clipHead(long, 20);
    const tail = clipTail(long, 20);
    expect(head).toMatchObject({ cut: true });
    expect(head.text.endsWith(' …')).toBe(true);
    expect(tail.text).toMatch(/^… was lit long ago\. The lamp [\s\S]* ago\. $/);
    expect(countTokens(head.text)).toBeLessThanOrEqual(20);
    expect(countTokens(tail.text)).toBeLessThanOrEqual(20);
    expect(clipHead('short', 20)).toEqual({ text: 'short', cut: false });
  });

  it('cuts a 20k-character text quickly', () => {
    const story = `${'Long ago the lamp was lit. '.repeat(800)}Now the stairs creak.`;
    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      keepTailTokens(story, 1500);
      keepHeadTokens(story, 1500);
    }
    expect((performance.now() - started) / 10).toBeLessThan(25);
  });
});
