import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clampChars,
  cjkRatio,
  countTokens,
  segmentWords,
  similarity,
  splitSentences,
  stemEnglish,
  truncateToTokens,
  UNIFIED_IDEOGRAPHS,
} from './text.js';

/** Strings mixing scripts, emoji sequences, combining marks and whitespace: the hard cases. */
const piece = fc.oneof(
  fc.constantFrom('climb', 'the', 'stairs', 'Straße', 'привет', ' ', '  ', '\n', ',', '!', '…', '。', '「'),
  fc.constantFrom('爬上楼梯', '灯室', 'ハロー', '한국어', '👍🏽', '👨‍👩‍👧', '🇯🇵', 'e\u0301', '𝐀'),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const mixed = fc.array(piece, { maxLength: 20 }).map((p) => p.join(''));

/** True when every surrogate in `s` is part of a pair. */
function isWellFormed(s: string): boolean {
  return !/\p{Cs}/u.test(s);
}

describe('segmentWords', () => {
  it('lowercases and NFKC-normalises Latin words, keeping apostrophe words whole', () => {
    expect(segmentWords("Don't climb the ＳＴＡＩＲＳ, Anna!")).toEqual(['dont', 'climb', 'the', 'stairs', 'anna']);
  });

  it('reads CJK runs as unigrams plus overlapping bigrams', () => {
    expect(segmentWords('爬上楼梯')).toEqual(['爬', '上', '楼', '梯', '爬上', '上楼', '楼梯']);
    expect(segmentWords('go 灯室!')).toEqual(['go', '灯', '室', '灯室']);
  });

  it('drops stopwords only when asked', () => {
    expect(segmentWords('I want to climb the stairs', { dropStopwords: true })).toEqual(['climb', 'stairs']);
    expect(segmentWords('我要上楼', { dropStopwords: true })).toEqual(['上', '楼', '我要', '要上', '上楼']);
  });
});

describe('stemEnglish', () => {
  it('makes inflections meet their root', () => {
    for (const [a, b] of [['climbing', 'climb'], ['climbed', 'climb'], ['stairs', 'stair'], ['running', 'run'], ['taking', 'take'], ['boxes', 'box'], ['stories', 'story']]) {
      expect(stemEnglish(a!)).toBe(stemEnglish(b!));
    }
  });
});

describe('countTokens', () => {
  it('estimates one token per CJK character and per four Latin letters', () => {
    expect(countTokens('你好世界')).toBe(4);
    expect(countTokens('a lighthouse')).toBe(1 + 3);
    expect(countTokens('Hi, you!')).toBe(4);
    expect(countTokens('   ')).toBe(0);
  });

  it('counts exactly what the Unicode-regex definition counts, in any script (property)', () => {
    // The definition, as a regex scan: 1 = CJK letter, 2 = run of other letters/digits/marks, 3 = whitespace.
    const CJK = String.raw`(?:(?=[\p{L}\p{N}\p{M}])[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])`;
    const SCAN = new RegExp(String.raw`(${CJK})|((?:(?!${CJK})[\p{L}\p{N}\p{M}])+)|(\s+)|[\s\S]`, 'gu');
    const byRegex = (text: string) => {
      let n = 0;
      for (const m of text.matchAll(SCAN)) {
        if (m[1] !== undefined) n += 1;
        else if (m[2] !== undefined) n += Math.max(1, Math.ceil(Array.from(m[2]).length / 4));
        else if (m[3] === undefined) n += 1;
      }
      return n;
    };
    const anyText = fc.oneof(mixed, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('a', 'é', '你', 'ー', '。', ' ', '\u3000', '\u0301', 'ア', '한', '1', '\ud83d', '\ude00', '😀', '-') }));
    fc.assert(
      fc.property(anyText, (t) => {
        expect(countTokens(t)).toBe(byRegex(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('counts every character of the CJK Unified Ideographs block (its fast path) as the definition does: one CJK letter', () => {
    const cjk = /^(?=[\p{L}\p{N}\p{M}])[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]$/u;
    const [first, last] = UNIFIED_IDEOGRAPHS;
    const notCjk: number[] = [];
    for (let cp = first; cp <= last; cp++) if (!cjk.test(String.fromCodePoint(cp))) notCjk.push(cp);
    expect(notCjk).toEqual([]);
    expect(countTokens(String.fromCodePoint(first, last, 0x3000, 0x3001))).toBe(3);
  });

  it('is monotone and subadditive under concatenation', () => {
    fc.assert(
      fc.property(mixed, mixed, (a, b) => {
        const ab = countTokens(a + b);
        expect(ab).toBeGreaterThanOrEqual(Math.max(countTokens(a), countTokens(b)));
        expect(ab).toBeLessThanOrEqual(countTokens(a) + countTokens(b));
      }),
    );
  });
});

describe('truncateToTokens', () => {
  it('keeps text that fits and backs off to a word boundary', () => {
    expect(truncateToTokens('short', 10)).toBe('short');
    expect(truncateToTokens('Hello wonderful world of tokens', 3)).toBe('Hello');
    expect(truncateToTokens('你好世界很好', 4)).toBe('你好世界');
    expect(truncateToTokens('anything', 0)).toBe('');
  });

  it('never exceeds the budget, returns a prefix and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(mixed, fc.integer({ min: 0, max: 30 }), (text, max) => {
        const out = truncateToTokens(text, max);
        expect(countTokens(out)).toBeLessThanOrEqual(Math.max(max, 0));
        expect(text.startsWith(out)).toBe(true);
        expect(isWellFormed(out)).toBe(true);
      }),
    );
  });
});

describe('clampChars', () => {
  it('cuts on grapheme boundaries and appends the ellipsis within budget', () => {
    expect(clampChars('ab👍🏽cd', 4)).toBe('ab');
    expect(clampChars('hello world', 8, '…')).toBe('hello w…');
    expect(clampChars('fits', 4, '…')).toBe('fits');
  });

  it('never exceeds maxChars nor produces invalid UTF-16', () => {
    fc.assert(
      fc.property(mixed, fc.integer({ min: 0, max: 40 }), fc.constantFrom('', '…', '...'), (text, max, ell) => {
        const out = clampChars(text, max, ell);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(isWellFormed(out)).toBe(true);
      }),
    );
  });
});

describe('splitSentences and cjkRatio', () => {
  it('splits Latin and CJK prose', () => {
    expect(splitSentences('The lamp is dark. You wait! 你好。我在这里！好吗')).toEqual(['The lamp is dark.', 'You wait!', '你好。', '我在这里！', '好吗']);
  });

  it('splits Chinese and Japanese without spaces, keeping quotes and ellipses inside their sentence', () => {
    expect(splitSentences('厨房里又闷又热，炭炉烧得正旺。他慌忙跳下来：“掌柜的！我……我听说钱老板今晚要来。”你点点头？')).toEqual([
      '厨房里又闷又热，炭炉烧得正旺。',
      '他慌忙跳下来：“掌柜的！',
      '我……我听说钱老板今晚要来。”',
      '你点点头？',
    ]);
    expect(splitSentences('これはペンです。あれは本です？はい！')).toEqual(['これはペンです。', 'あれは本です？', 'はい！']);
  });

  it('keeps closing quotes, numbers and line breaks as prose expects', () => {
    expect(splitSentences('He said "Go." Then he left.\nThe lamp costs 3.50 now.\n\n')).toEqual(['He said "Go."', 'Then he left.', 'The lamp costs 3.50 now.']);
    expect(splitSentences('  ')).toEqual([]);
  });

  it('measures the share of CJK letters', () => {
    expect(cjkRatio('abc')).toBe(0);
    expect(cjkRatio('灯室')).toBe(1);
    expect(cjkRatio('!!!')).toBe(0);
  });
});

describe('similarity', () => {
  const climb = 'Climb the stairs to the lamp room';
  const harbour = 'Return to the harbour';

  it('scores paraphrases high and unrelated text low, in English', () => {
    expect(similarity('I climb the stairs', climb)).toBeGreaterThan(0.6);
    expect(similarity('climbing up the stairs', climb)).toBeGreaterThan(0.5);
    expect(similarity('go back to the harbour', harbour)).toBeGreaterThan(0.4);
    expect(similarity('I eat a sandwich', climb)).toBeLessThan(0.15);
    expect(similarity('what is the meaning of life', harbour)).toBeLessThan(0.15);
  });

  it('scores paraphrases high and unrelated text low, in Chinese', () => {
    expect(similarity('我要爬上楼梯去灯室', '爬上楼梯到灯室')).toBeGreaterThan(0.6);
    expect(similarity('我要爬上楼梯去灯室', '回到码头')).toBeLessThan(0.1);
    expect(similarity('我想回去码头看看', '回到码头')).toBeGreaterThan(0.4);
    expect(similarity('我上床睡觉', '爬上楼梯到灯室')).toBeLessThan(0.15);
  });

  it('is in [0, 1], symmetric, and 1 for identical non-empty text', () => {
    fc.assert(
      fc.property(mixed, mixed, (a, b) => {
        const s = similarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(Math.abs(s - similarity(b, a))).toBeLessThan(1e-12);
        if (a.length > 0) expect(similarity(a, a)).toBe(1);
      }),
    );
  });

  it('treats case and full-width forms as identical', () => {
    expect(similarity('CLIMB', 'ｃｌｉｍｂ')).toBe(1);
  });
});
