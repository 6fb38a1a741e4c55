/**
 * Multilingual text utilities for matching, budgeting and clipping text. Pure functions, no
 * dependencies. Written for languages without spaces (Chinese, Japanese, Korean) as much as for
 * Latin text: CJK runs are read as overlapping character bigrams because there is no word
 * boundary to split on, and clipping always happens on grapheme boundaries.
 * @module
 */
import { isStopword, stemEnglish } from './text-lexicon.js';

export { isStopword, stemEnglish } from './text-lexicon.js';

// A CJK letter: Han, kana or Hangul by script extension (so the kana length mark "ー" counts),
// but only letters/numbers/marks, so CJK punctuation like "。" stays punctuation.
const CJK = String.raw`(?:(?=[\p{L}\p{N}\p{M}])[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])`;
const WORD = String.raw`(?:(?!${CJK})[\p{L}\p{N}\p{M}])`;
const CJK_RE = new RegExp(CJK, 'u');
/** Groups: 1 = one CJK letter, 2 = a run of other letters/digits, 3 = whitespace; else one code point. */
const SCAN_RE = new RegExp(String.raw`(${CJK})|(${WORD}+)|(\s+)|[\s\S]`, 'gu');
const WORD_END_RE = new RegExp(`${WORD}$`, 'u');
const WORD_START_RE = new RegExp(`^${WORD}`, 'u');
const SEGMENT_RE = new RegExp(String.raw`(${CJK}+)|(${WORD}+)`, 'gu');
// "don't" and "l'eau" are one word for matching purposes.
const APOSTROPHE_RE = /(?<=\p{L})['’](?=\p{L})/gu;

/** NFKC-normalise and lowercase: full-width letters become ASCII, compatibility forms fold. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Options for {@link segmentWords}. */
export interface SegmentOptions {
  /** Drop English function words and single CJK grammar characters (for matching). Default false. */
  dropStopwords?: boolean;
}

/**
 * Split text into lowercase match tokens. Latin, Cyrillic and other spaced scripts give one token
 * per word (split on anything that is not a letter, digit or mark). CJK runs give every character
 * as a unigram followed by every overlapping bigram: "爬上楼梯" → 爬 上 楼 梯 爬上 上楼 楼梯.
 */
export function segmentWords(text: string, opts: SegmentOptions = {}): string[] {
  const out: string[] = [];
  const source = normalizeText(text).replace(APOSTROPHE_RE, '');
  for (const m of source.matchAll(SEGMENT_RE)) {
    if (m[1] !== undefined) {
      const chars = Array.from(m[1]);
      for (const c of chars) out.push(c);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    } else if (m[2] !== undefined) {
      out.push(m[2]);
    }
  }
  return opts.dropStopwords ? out.filter((t) => !isStopword(t)) : out;
}

/** True when the token (or character) is Han, kana or Hangul. */
export function isCjk(text: string): boolean {
  return CJK_RE.test(text);
}

/** Share of letters that are CJK, in [0, 1]; 0 for text without letters. */
export function cjkRatio(text: string): number {
  let cjk = 0;
  let letters = 0;
  for (const m of text.matchAll(SCAN_RE)) {
    if (m[1] !== undefined) {
      cjk++;
      letters++;
    } else if (m[2] !== undefined) letters += Array.from(m[2]).length;
  }
  return letters === 0 ? 0 : cjk / letters;
}

const LETTER_RE = /[\p{L}\p{N}\p{M}]/u;
const SPACE_RE = /\s/u;
/** What a code point is to countTokens: 0 other, 1 CJK letter, 2 other letter/digit/mark, 3 whitespace. */
type CharClass = 0 | 1 | 2 | 3;
const classCache = new Map<number, CharClass>();

/**
 * The CJK Unified Ideographs block: every code point in it is a Han letter (the block is fully
 * assigned), and it holds most Chinese text, so its characters skip the cache lookup.
 */
export const UNIFIED_IDEOGRAPHS = [0x4e00, 0x9fff] as const;

function classifyNonAscii(cp: number): CharClass {
  if (cp >= UNIFIED_IDEOGRAPHS[0] && cp <= UNIFIED_IDEOGRAPHS[1]) return 1;
  let c = classCache.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    c = CJK_RE.test(ch) ? 1 : LETTER_RE.test(ch) ? 2 : SPACE_RE.test(ch) ? 3 : 0;
    // Bounded: a text in every script there is still classifies each code point once per process.
    if (classCache.size < 200_000) classCache.set(cp, c);
  }
  return c;
}

/** countTokens's class of each ASCII code: letters and digits 2, whitespace 3, the rest 0. */
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, code) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) ? 2 : code === 32 || (code >= 9 && code <= 13) ? 3 : 0,
);

/**
 * A fast *estimate* of how many tokens an LLM tokenizer would use, for budgeting prompts; it
 * is not any real tokenizer's count. One token per CJK character, one per four code points of
 * other words (at least one per word), one per punctuation or symbol code point, none for
 * whitespace. For well-formed strings, `countTokens(a + b) >= max(countTokens(a), countTokens(b))`.
 * A code-point loop (ASCII classified inline, other code points once per process): it runs on
 * every prompt section and model call, where a Unicode-property regex cost 10% of a turn's CPU.
 */
export function countTokens(text: string): number {
  let n = 0;
  let word = 0; // code points in the current run of non-CJK letters
  for (let i = 0; i < text.length; i += 1) {
    let cp = text.charCodeAt(i);
    let cls: CharClass;
    if (cp < 128) cls = ASCII_CLASS[cp] as CharClass;
    else {
      // Only a high surrogate starts a code point of two units.
      if (cp >= 0xd800 && cp <= 0xdbff) {
        cp = text.codePointAt(i)!;
        if (cp > 0xffff) i += 1;
      }
      cls = classifyNonAscii(cp);
    }
    if (cls === 2) {
      word += 1;
      continue;
    }
    if (word > 0) {
      n += Math.ceil(word / 4);
      word = 0;
    }
    if (cls === 1 || cls === 0) n += 1;
  }
  if (word > 0) n += Math.ceil(word / 4);
  return n;
}

let graphemeSegmenter: Intl.Segmenter | undefined;

/** Start offsets of every grapheme after the first, plus the string length: the safe cut points. */
function graphemeEnds(text: string): number[] {
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const ends: number[] = [];
  for (const s of graphemeSegmenter.segment(text)) if (s.index > 0) ends.push(s.index);
  ends.push(text.length);
  return ends;
}

/**
 * The longest prefix of `text` whose {@link countTokens} estimate is at most `maxTokens`, cut on
 * a grapheme boundary (never inside a surrogate pair, emoji sequence or accented letter). When
 * the cut lands inside a word and a space is near, it backs off to the space; trailing whitespace
 * is trimmed. Returns `text` unchanged when it already fits.
 */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (countTokens(text) <= maxTokens) return text;
  if (maxTokens <= 0) return '';
  const ends = graphemeEnds(text);
  // countTokens is monotone over prefixes, so binary-search the last grapheme end that fits.
  let lo = -1;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (countTokens(text.slice(0, ends[mid])) <= maxTokens) lo = mid;
    else hi = mid - 1;
  }
  if (lo < 0) return '';
  let cut = ends[lo]!;
  const midWord = WORD_END_RE.test(text.slice(0, cut)) && WORD_START_RE.test(text.slice(cut));
  if (midWord) {
    // Words are rarely longer than 30 characters; beyond that (or in CJK) a mid-run cut is fine.
    const space = text.slice(0, cut).search(/\s\S*$/u);
    if (space > 0 && cut - space <= 30) cut = space;
  }
  return text.slice(0, cut).trimEnd();
}

/**
 * At most `maxChars` UTF-16 code units (the unit of `String.length`, and of zod's `.max()`),
 * cut on a grapheme boundary. When text is cut, `ellipsis` is appended within the budget.
 */
export function clampChars(text: string, maxChars: number, ellipsis = ''): string {
  if (text.length <= maxChars) return text;
  const budget = maxChars - ellipsis.length;
  if (budget <= 0) return maxChars <= 0 ? '' : clampChars(ellipsis, maxChars);
  let cut = 0;
  for (const end of graphemeEnds(text)) {
    if (end > budget) break;
    cut = end;
  }
  return text.slice(0, cut) + ellipsis;
}

let sentenceSegmenter: Intl.Segmenter | undefined;

/**
 * Split prose into sentences by Unicode's rules (UAX #29, through `Intl.Segmenter`): . ! ? and
 * their CJK forms 。！？ (which need no following space), closing quotes and brackets kept with
 * their sentence, a line break always ends one. Unlike a regex, it keeps "3.14" and "a.b" whole
 * and does not end a sentence at an ellipsis ("我……我听说", "Wait… what?"). Pieces are trimmed;
 * empty ones are dropped. About 15 µs per 500 characters, once per model call at most.
 */
export function splitSentences(text: string): string[] {
  sentenceSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'sentence' });
  const out: string[] = [];
  for (const { segment } of sentenceSegmenter.segment(text)) {
    const sentence = segment.trim();
    if (sentence.length > 0) out.push(sentence);
  }
  return out;
}

interface Features {
  /** Match tokens, each with a weight: CJK unigrams count half, since bigrams carry the meaning. */
  tokens: Map<string, number>;
  /** Character trigrams of the content words, for morphology and typos the stemmer misses. */
  grams: Set<string>;
}

function features(text: string): Features {
  let words = segmentWords(text, { dropStopwords: true });
  // Text made only of stopwords ("go on", "我") still deserves to match itself.
  if (words.length === 0) words = segmentWords(text);
  const tokens = new Map<string, number>();
  for (const w of words) {
    const cjk = isCjk(w);
    tokens.set(cjk ? w : stemEnglish(w), cjk && Array.from(w).length === 1 ? 0.5 : 1);
  }
  const latin = words.filter((w) => !isCjk(w)).join(' ');
  const base = words.length > 0 ? latin || words.join('') : normalizeText(text).replace(/\s+/gu, ' ').trim();
  const chars = Array.from(` ${base} `);
  const grams = new Set<string>();
  if (base.length > 0) for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  return { tokens, grams };
}

function weightedOverlap(a: Map<string, number>, b: Map<string, number>): { shared: number; wa: number; wb: number } {
  let shared = 0;
  let wa = 0;
  let wb = 0;
  for (const [k, w] of a) {
    wa += w;
    if (b.has(k)) shared += w;
  }
  for (const w of b.values()) wb += w;
  return { shared, wa, wb };
}

/**
 * How well two short texts match, in [0, 1] (1 for equal non-empty text, symmetric). Meant for
 * "which offered choice did the player mean": the mean of the weighted Dice coefficient and the
 * overlap coefficient over stemmed content tokens, so a short input that is wholly contained in
 * a longer choice ("stairs" in "Climb the stairs") still scores well; floored by 0.9 × a
 * character-trigram Dice score, which catches morphology and typos the stemmer misses.
 * Bag-of-words only: it cannot tell synonyms apart from unrelated words ("docks" vs
 * "harbour" score 0) nor "open the chest" from "open the door" (0.5).
 */
export function similarity(a: string, b: string): number {
  if (a === b) return a.length > 0 ? 1 : 0;
  const na = normalizeText(a).trim();
  if (na.length > 0 && na === normalizeText(b).trim()) return 1;
  const fa = features(a);
  const fb = features(b);
  let tokenScore = 0;
  const { shared, wa, wb } = weightedOverlap(fa.tokens, fb.tokens);
  if (shared > 0) tokenScore = (2 * shared) / (wa + wb) / 2 + shared / Math.min(wa, wb) / 2;
  let gramShared = 0;
  for (const g of fa.grams) if (fb.grams.has(g)) gramShared++;
  const total = fa.grams.size + fb.grams.size;
  const gramScore = total === 0 ? 0 : (2 * gramShared) / total;
  return Math.min(1, Math.max(tokenScore, 0.9 * gramScore));
}
