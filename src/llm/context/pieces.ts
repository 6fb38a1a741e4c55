/**
 * Rendering of the individual items the context is made of: memories, history entries, cards,
 * choices and variables. Every item is defused and capped here, once, so the budget loop in
 * `build-context.ts` can count each item a single time and drop items without re-rendering.
 * @module
 */
import type { TurnContext } from '../../domain/ports/narrator.js';
import type { HistoryEntry } from '../../domain/types.js';
import { countTokens } from '../../shared/text.js';
import type { StoryCard } from './cards.js';
import { clipHead } from './clip.js';
import { defuseTags } from './tags.js';

/** Per-item caps (token estimates): one huge item must not crowd out everything else. */
export const CONTEXT_LIMITS = {
  title: 40,
  storyInstructions: 800,
  // A player's note, persona and instructions may each be 2,000 characters (about 500 tokens of
  // English, up to 2,000 of Chinese): the caps keep one from crowding out the story.
  authorNote: 600,
  persona: 600,
  playerInstructions: 600,
  cards: 8,
  cardName: 20,
  card: 300,
  summary: 600,
  memories: 8,
  memory: 120,
  historyInput: 125,
  historyResponse: 250,
  storyText: 1500,
  input: 400,
  narration: 1200,
  variableValue: 40,
} as const;

/** A rendered item with its token estimate and whether a cap cut it. */
export interface Item {
  text: string;
  tokens: number;
  capped: boolean;
}

function item(text: string, capped: boolean): Item {
  const safe = defuseTags(text).trim();
  return { text: safe, tokens: countTokens(safe), capped };
}

/** Memories best first (retrieval score, then importance), so the budget drops from the end. */
export function memoryItems(memories: TurnContext['memories']): { items: Item[]; capped: boolean } {
  const sorted = [...memories].sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || b.importance - a.importance);
  const items = sorted.slice(0, CONTEXT_LIMITS.memories).map((m) => {
    const clipped = clipHead(m.text.trim(), CONTEXT_LIMITS.memory);
    return item(`- (importance ${m.importance}) ${clipped.text}`, clipped.cut);
  });
  return { items, capped: sorted.length > CONTEXT_LIMITS.memories || items.some((i) => i.capped) };
}

/**
 * The marker that opens each history entry. Tests find entries by it, and the author's note is
 * placed between entries, so it must not occur in entry text: a `[Turn` in data is escaped.
 */
export function historyHeader(turnNo: number): string {
  return `[Turn ${turnNo}]`;
}

/** A member's name as the prompt shows it: one line, short, no tags or quotes. */
export function personName(name: string): string {
  return defuseTags(name.replace(/[\s"]+/gu, ' ').trim()).slice(0, 40) || 'Player';
}

/**
 * Rendered history entries by entry: a turn builds the narrator's context and then the judge's
 * from the same loaded entries, and rendering them is most of either. Entries are never changed
 * once loaded (an edit or a new turn loads new ones), and are let go with the turn.
 */
const renderedEntries = new WeakMap<HistoryEntry, Item>();

/** One history entry, oldest first in the list the caller builds. */
export function historyItem(h: HistoryEntry): Item {
  let rendered = renderedEntries.get(h);
  if (!rendered) renderedEntries.set(h, (rendered = renderHistoryItem(h)));
  return rendered;
}

const TURN_MARKER = /\[(\s*turn\b)/giu;

function renderHistoryItem(h: HistoryEntry): Item {
  const input = clipHead(h.input.trim(), CONTEXT_LIMITS.historyInput);
  const response = clipHead(h.response.trim(), CONTEXT_LIMITS.historyResponse);
  const escape = (s: string) => (s.includes('[') ? s.replace(TURN_MARKER, '［$1') : s);
  const lines = [historyHeader(h.turnNo)];
  if (input.text) lines.push(`${h.actor ? personName(h.actor) : 'Player'} (${h.action}): ${escape(input.text)}`);
  lines.push(`Narrator: ${escape(response.text) || '(nothing)'}`);
  return item(lines.join('\n'), input.cut || response.cut);
}

/**
 * Rendered cards by card, as history entries: the narrator's and the judge's context of a turn
 * share its card objects, and each is rendered once. Cards are not changed once made.
 */
const renderedCards = new WeakMap<StoryCard, Item>();

/** One triggered card: its name in brackets, then its text. */
export function cardItem(card: StoryCard): Item {
  let rendered = renderedCards.get(card);
  if (!rendered) renderedCards.set(card, (rendered = renderCardItem(card)));
  return rendered;
}

function renderCardItem(card: StoryCard): Item {
  const name = clipHead(card.name.replace(/\s+/gu, ' ').trim(), CONTEXT_LIMITS.cardName);
  const text = clipHead(card.text.trim(), CONTEXT_LIMITS.card);
  return item(`[${name.text}]\n${text.text}`, name.cut || text.cut);
}

/**
 * The choices on offer, never cut: the narrator sees a 1-based list (it must not pick one), the
 * judge the ink indexes it has to answer with.
 */
export function choicesBody(choices: TurnContext['choices'], role: 'narrator' | 'judge'): string {
  return choices.map((c, i) => (role === 'judge' ? `[${c.index}] ${c.text}` : `${i + 1}. ${c.text}`)).join('\n');
}

/** Writable variables with their declared type and current value (long values clipped). */
export function variablesBody(ctx: Pick<TurnContext, 'writableVariables' | 'variables'>): string {
  return ctx.writableVariables
    .map((w) => `${w.name} (${w.type}) = ${clipHead(JSON.stringify(ctx.variables[w.name] ?? null), CONTEXT_LIMITS.variableValue).text}`)
    .join('\n');
}
