/**
 * Cutting text to a token budget, keeping its start (input, narration, cards) or its end (story
 * text and summaries, where the end is what leads into the present).
 *
 * Unlike `truncateToTokens` in shared/text.ts, this never segments the whole text into graphemes:
 * `Intl.Segmenter` costs several microseconds per grapheme in Node 20 (~150 ms for a 20k-character
 * story text, on every call). The cut is found by binary search over code units with the cheap
 * `countTokens`, and only a small window around it is segmented to land on a grapheme boundary.
 * @module
 */
import { countTokens } from '../../shared/text.js';

let segmenter: Intl.Segmenter | undefined;
/** Longer grapheme clusters than this (stacked combining marks) may be cut inside; nothing real is that long. */
const WINDOW = 64;
/** A word longer than this is cut mid-word rather than backed off to a space. */
const MAX_WORD = 30;

/** The nearest grapheme boundary at or before `pos` (`before`) or at or after it. */
function snap(text: string, pos: number, dir: 'before' | 'after'): number {
  if (pos <= 0 || pos >= text.length) return pos;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const from = Math.max(0, pos - WINDOW);
  const to = Math.min(text.length, pos + WINDOW);
  let before = from;
  for (const s of segmenter.segment(text.slice(from, to))) {
    const at = from + s.index;
    // The window's own edges are boundaries only when they are the text's edges.
    if (at === from && from > 0) continue;
    if (at === pos) return pos;
    if (at > pos) return dir === 'after' ? at : before;
    before = at;
  }
  return dir === 'after' ? to : before;
}

/** `pos`, or the next position when `pos` would split a surrogate pair (estimates are only monotone on code points). */
function codePoint(text: string, pos: number): number {
  const low = text.charCodeAt(pos);
  const high = text.charCodeAt(pos - 1);
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? pos + 1 : pos;
}

const CJK_LETTER = String.raw`[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]`;
/** A letter, digit or mark of a spaced script: CJK has no word boundaries to respect. */
export const WORD_CHAR = String.raw`(?:(?!${CJK_LETTER})[\p{L}\p{N}\p{M}])`;
const WORD_END = new RegExp(`${WORD_CHAR}$`, 'u');
const WORD_START = new RegExp(`^${WORD_CHAR}`, 'u');

/** The largest n in [0, max] for which `fits(n)` holds, given it holds up to some n and not beyond. */
function longestFitting(max: number, fits: (n: number) => boolean): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The longest prefix of `text` whose estimate is at most `maxTokens`, cut on a grapheme
 * boundary, backed off to a space when it would split a word; trailing whitespace trimmed.
 * `text` itself when it fits.
 */
export function keepHeadTokens(text: string, maxTokens: number): string {
  if (countTokens(text) <= maxTokens) return text;
  if (maxTokens <= 0) return '';
  // Prefix estimates only grow with length: find the longest prefix that fits.
  const length = longestFitting(text.length, (n) => countTokens(text.slice(0, codePoint(text, n))) <= maxTokens);
  let cut = snap(text, codePoint(text, length), 'before');
  if (WORD_END.test(text.slice(Math.max(0, cut - 2), cut)) && WORD_START.test(text.slice(cut, cut + 2))) {
    const from = Math.max(0, cut - MAX_WORD);
    const space = text.slice(from, cut).search(/\s\S*$/u);
    if (space >= 0 && from + space > 0) cut = from + space;
  }
  return text.slice(0, cut).trimEnd();
}

/**
 * The longest suffix of `text` whose estimate is at most `maxTokens`, starting on a grapheme
 * boundary, moved on to a space when it would start mid-word; leading whitespace trimmed.
 * `text` itself when it fits.
 */
export function keepTailTokens(text: string, maxTokens: number): string {
  if (countTokens(text) <= maxTokens) return text;
  if (maxTokens <= 0) return '';
  // Suffix estimates only grow with length: find the longest suffix that fits.
  const length = longestFitting(text.length, (n) => countTokens(text.slice(codePoint(text, text.length - n))) <= maxTokens);
  let cut = snap(text, codePoint(text, text.length - length), 'after');
  if (WORD_END.test(text.slice(Math.max(0, cut - 2), cut)) && WORD_START.test(text.slice(cut, cut + 2))) {
    const space = text.slice(cut, cut + MAX_WORD + 1).search(/\s/u);
    if (space >= 0) cut += space;
  }
  return text.slice(cut).trimStart();
}

/** `text` cut to `maxTokens` keeping its start, with `…` marking the cut (within the budget). */
export function clipHead(text: string, maxTokens: number): { text: string; cut: boolean } {
  if (countTokens(text) <= maxTokens) return { text, cut: false };
  const kept = keepHeadTokens(text, maxTokens - 1);
  return { text: kept ? `${kept} …` : '', cut: true };
}

/** `text` cut to `maxTokens` keeping its end, with `…` marking the cut (within the budget). */
export function clipTail(text: string, maxTokens: number): { text: string; cut: boolean } {
  if (countTokens(text) <= maxTokens) return { text, cut: false };
  const kept = keepTailTokens(text, maxTokens - 1);
  return { text: kept ? `… ${kept}` : '', cut: true };
}
