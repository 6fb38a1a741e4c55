/**
 * Story cards (lore entries): a name, trigger keywords and text. A card enters the prompt only
 * when the turn mentions it, so a story can carry far more lore than any prompt budget holds.
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { TurnContext } from '../../domain/ports/narrator.js';
import { normalizeText } from '../../shared/text.js';
import { WORD_CHAR } from './clip.js';

/** One lore entry. Keywords are plain text (case-insensitive) or `/pattern/flags`. */
export type StoryCard = NonNullable<TurnContext['cards']>[number];

const STARTS_WITH_WORD = new RegExp(`^${WORD_CHAR}`, 'u');
const REGEX_KEYWORD = /^\/(.+)\/([a-z]*)$/su;
/** Author regexes are not trusted to be fast: long patterns are refused and texts are capped. */
const MAX_PATTERN_CHARS = 200;
const MAX_REGEX_SCAN_CHARS = 2000;

/** A text prepared for matching: NFKC for regexes, and folded (lowercase, spaces collapsed). */
export interface MatchText {
  raw: string;
  folded: string;
}

type Matcher = (text: MatchText) => boolean;

/** Prepare a text once for every keyword tested against it. */
export function matchText(raw: string): MatchText {
  return { raw: raw.normalize('NFKC'), folded: fold(raw) };
}

function fold(text: string): string {
  return normalizeText(text).replace(/\s+/gu, ' ');
}

/**
 * True when a quantified group contains a quantifier itself, as in `(a+)+` or `(\w*x)*`: the
 * classic catastrophic-backtracking shape. A heuristic, not a proof of safety.
 */
export function hasNestedQuantifier(pattern: string): boolean {
  const groups: boolean[] = []; // per open group: does it contain a quantifier?
  let inClass = false;
  const isQuantifier = (i: number) => pattern[i] === '+' || pattern[i] === '*' || (pattern[i] === '{' && /^\{\d*,?\d*\}/.test(pattern.slice(i)));
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') groups.push(false);
    else if (c === ')') {
      const inner = groups.pop() ?? false;
      const quantified = isQuantifier(i + 1);
      if (inner && quantified) return true;
      if ((inner || quantified) && groups.length > 0) groups[groups.length - 1] = true;
    } else if (isQuantifier(i) && groups.length > 0) groups[groups.length - 1] = true;
  }
  return false;
}

function regexMatcher(pattern: string, flags: string): Matcher | null {
  if (pattern.length > MAX_PATTERN_CHARS || hasNestedQuantifier(pattern)) return null;
  try {
    // g and y make `test` stateful; d is useless here. The author's other flags are kept.
    const re = new RegExp(pattern, flags.replace(/[gyd]/g, ''));
    return (t) => re.test(t.raw.length > MAX_REGEX_SCAN_CHARS ? t.raw.slice(-MAX_REGEX_SCAN_CHARS) : t.raw);
  } catch {
    return null;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compile one keyword. Plain keywords match case- and width-insensitively (NFKC + lowercase),
 * with any run of whitespace matching any other.
 * A keyword that starts with a CJK character matches anywhere, since those scripts have no word
 * boundaries; any other must start a word ("dragon" matches "Dragons", "cat" does not match
 * "concatenate"). Returns null for an empty keyword or an unusable regex.
 */
export function keywordMatcher(keyword: string): Matcher | null {
  const re = REGEX_KEYWORD.exec(keyword.trim());
  if (re) return regexMatcher(re[1]!, re[2]!);
  const folded = fold(keyword).trim();
  if (!folded) return null;
  if (!STARTS_WITH_WORD.test(folded)) return (t) => t.folded.includes(folded);
  const wordStart = new RegExp(`(?<!${WORD_CHAR})${escapeRegExp(folded)}`, 'u');
  return (t) => wordStart.test(t.folded);
}

/** Cards are the same every turn of a story: a bounded cache saves recompiling them (`false`: not a usable keyword). */
const compiled = new LRUCache<string, Matcher | false>({ max: 2000 });

function cachedMatcher(keyword: string): Matcher | null {
  let m = compiled.get(keyword);
  if (m === undefined) compiled.set(keyword, (m = keywordMatcher(keyword) ?? false));
  return m || null;
}

/** The texts a turn's cards are matched against, most relevant first: input, story text, last turn. */
export function triggerTexts(ctx: Pick<TurnContext, 'input' | 'storyText' | 'history'>): string[] {
  const last = ctx.history.at(-1);
  return [ctx.input, ctx.storyText, last ? `${last.input}\n${last.response}` : ''];
}

/**
 * The cards whose keywords appear in `texts`: those mentioned by the first text (the player's
 * input) first, then the second, and so on; then cards activated by similarity to the scene
 * (`similarity` set), closest first; story order within a tier; each card once. A card whose
 * `when` condition held (`conditional`) and that has no keywords counts as mentioned by the input.
 */
export function triggeredCards(cards: readonly StoryCard[], texts: readonly string[]): StoryCard[] {
  const prepared = texts.map(matchText);
  const ranked: { card: StoryCard; tier: number; order: number }[] = [];
  cards.forEach((card, order) => {
    const matchers = card.keywords.map(cachedMatcher).filter((m): m is Matcher => m !== null);
    let tier = prepared.findIndex((t) => matchers.some((m) => m(t)));
    // A card with a condition that holds and no keywords is about the story's state, not its words: always offered.
    if (tier < 0 && card.conditional && matchers.length === 0) tier = 0;
    if (tier < 0 && card.similarity !== undefined) tier = prepared.length;
    if (tier >= 0 && card.text.trim()) ranked.push({ card, tier, order });
  });
  const closeness = (c: StoryCard) => c.similarity ?? 0;
  return ranked
    .sort((a, b) => a.tier - b.tier || (a.tier === prepared.length ? closeness(b.card) - closeness(a.card) : 0) || a.order - b.order)
    .map((r) => r.card);
}
