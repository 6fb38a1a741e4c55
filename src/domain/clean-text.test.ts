import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText } from './clean-text.js';

describe('cleanText', () => {
  it('drops NUL and other controls, keeps newlines, tabs, CJK and emoji', () => {
    expect(cleanText('a\u0000b\u0007c\r\nd\te 你好 🌊')).toBe('abc\nd\te 你好 🌊');
  });

  it('always yields well-formed text without control characters, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = cleanText(s);
        expect(out.isWellFormed()).toBe(true);
        expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(out)).toBe(false);
        expect(cleanText(out)).toBe(out);
      }),
    );
  });
});
