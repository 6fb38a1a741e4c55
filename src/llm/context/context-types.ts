/**
 * The shapes the context builder's parts share (kept apart so they can import them without a cycle).
 * @module
 */
import type { StoryCard } from './cards.js';

/** Who the context is for; `single` is one call that narrates and then decides (single-call mode). */
export type ContextRole = 'narrator' | 'judge' | 'single';

/** Prompt sections, in the order they appear. */
export type SectionName =
  | 'instructions'
  | 'story_instructions'
  | 'persona'
  | 'player_instructions'
  | 'cards'
  | 'summary'
  | 'memories'
  | 'history'
  | 'author_note'
  | 'story_text'
  | 'choices'
  | 'writable_variables'
  | 'input'
  | 'narration'
  | 'task'
  | 'repair';

/** One section of the context trace: its token estimate and whether anything of it was cut. */
export interface ContextSection {
  name: SectionName;
  tokens: number;
  trimmed: boolean;
}

/** Options for `buildContext`. Cards, summary and author's note default to the turn's own. */
export interface ContextOptions {
  /** Token estimate (by `countTokens`) the whole context should fit in. */
  budgetTokens: number;
  /** The passage being judged (judge only). */
  narration?: string;
  /** House style for the narrator, e.g. "terse, gothic". */
  style?: string;
  authorNote?: { text: string; depth?: number };
  cards?: StoryCard[];
  summary?: string;
}
