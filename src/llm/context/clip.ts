/**
 * Clipping helpers the context builder needs beyond `truncateToTokens` (which keeps a prefix):
 * for story text and summaries the *end* is what leads into the present, so those keep a suffix.
 * @module
 */
import { countTokens, truncateToTokens } from '../../shared/text.js';

let segmenter: Intl.Segmenter | undefined;

/** Grapheme start offsets after the first: the safe places to start a suffix. */
function graphemeStarts(text: string): number[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const starts: number[] = [];
  for (const s of segmenter.segment(text)) if (s.index > 0) starts.push(s.index);
  return starts;
}

/**
 * The longest suffix of `text` whose token estimate is at most `maxTokens`, starting on a
 * grapheme boundary and, when that lands inside a word, at the next space (if one is near).
 * Returns `text` unchanged when it fits and `''` when nothing does.
 */
export function keepTailTokens(text: string, maxTokens: number): string {
  if (countTokens(text) <= maxTokens) return text;
  if (maxTokens <= 0) return '';
  const starts = graphemeStarts(text);
  // A suffix's estimate never exceeds that of a longer suffix: binary-search the first start that fits.
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (countTokens(text.slice(starts[mid])) <= maxTokens) hi = mid;
    else lo = mid + 1;
  }
  if (lo >= starts.length) return '';
  let cut = starts[lo]!;
  if (/[\p{L}\p{N}]$/u.test(text.slice(0, cut)) && /^[\p{L}\p{N}]/u.test(text.slice(cut))) {
    const space = text.slice(cut).search(/\s/u);
    if (space >= 0 && space <= 30) cut += space;
  }
  return text.slice(cut).trimStart();
}

/** `text` cut to `maxTokens` keeping its start, with `…` marking the cut (within the budget). */
export function clipHead(text: string, maxTokens: number): { text: string; cut: boolean } {
  if (countTokens(text) <= maxTokens) return { text, cut: false };
  const kept = truncateToTokens(text, maxTokens - 1);
  return { text: kept ? `${kept} …` : '', cut: true };
}

/** `text` cut to `maxTokens` keeping its end, with `…` marking the cut (within the budget). */
export function clipTail(text: string, maxTokens: number): { text: string; cut: boolean } {
  if (countTokens(text) <= maxTokens) return { text, cut: false };
  const kept = keepTailTokens(text, maxTokens - 1);
  return { text: kept ? `… ${kept}` : '', cut: true };
}
