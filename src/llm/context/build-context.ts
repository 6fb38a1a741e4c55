/**
 * The one place prompts are built. From the turn (story instructions, story text, choices,
 * triggered story cards, memories, summary, history, author's note, player input) it makes the
 * messages for a narrator or judge call, within a token budget.
 *
 * Order is stable → volatile so provider prompt caches hit: the system message (instructions and
 * the author's guidance, the same every turn of a story) carries Anthropic's cache marker; then
 * one user message with cards → summary → memories → history (author's note inside, `depth`
 * entries from the newest) → story text → choices → player input (→ narration for the judge).
 *
 * Over budget, content goes in this order: oldest history entries, lowest-ranked memories,
 * cards (least relevant first), the summary, the author's note, then the story text is cut
 * (keeping its end) and, for the judge, the narration. Instructions, the choices on offer and
 * the player input (cut only to its own cap) always stay.
 * @module
 */
import type { ModelMessage } from 'ai';
import { LRUCache } from 'lru-cache';
import type { TurnContext } from '../../domain/ports/narrator.js';
import { AUTHOR_NOTE_DEPTH } from '../../domain/steering.js';
import { countTokens } from '../../shared/text.js';
import { triggeredCards, triggerTexts, type StoryCard } from './cards.js';
import { clipHead, clipTail, keepHeadTokens } from './clip.js';
import { JUDGE_TASK, narratorTask, singleCallTask } from './instructions.js';
import { cardItem, choicesBody, CONTEXT_LIMITS, historyItem, memoryItems, personName, variablesBody, type Item } from './pieces.js';
import { ItemList, TextPart } from './parts.js';
import type { ContextOptions, ContextRole, ContextSection, SectionName } from './context-types.js';
import { stableSections, type Section } from './stable-sections.js';

export type { ContextOptions, ContextRole, ContextSection, SectionName } from './context-types.js';
import { defuseTags, renderSection } from './tags.js';

/** Default context budgets (token estimates) per role. */
export const DEFAULT_CONTEXT_BUDGETS = { narrator: 6000, judge: 4000, single: 6000 } as const;
/** The author's note goes this many history entries (turns) before the newest. */
export const DEFAULT_AUTHOR_NOTE_DEPTH = AUTHOR_NOTE_DEPTH;

/** Messages ready for the AI SDK, plus what went into them. */
export interface BuiltContext {
  /** The system message's text (the stable, cached prefix). */
  system: string;
  /** `[system, user]`: exactly what is sent. */
  messages: ModelMessage[];
  /** Every section present, in prompt order; their tokens add up to `totalTokens`. */
  sections: ContextSection[];
  totalTokens: number;
}

// A cache breakpoint at the end of the system message. Providers other than Anthropic ignore
// the `anthropic` key. Built per call so no caller can mutate a shared object.
function cacheMarker() {
  return { anthropic: { cacheControl: { type: 'ephemeral' as const } } };
}

function listOf(items: Item[], capped: boolean, tag: 'story_cards' | 'memories'): ItemList {
  return new ItemList(items, countTokens(`<${tag}>\n\n</${tag}>`), capped);
}

const HISTORY_FRAME = countTokens('<recent_history>\n\n</recent_history>');

/**
 * History items, rendered newest first and only until they alone overflow the budget: anything
 * older would be dropped first anyway, and rendering 200 long entries is most of the work. The
 * newest is always rendered, so the trace shows the turn had history even when it is dropped.
 * Entries with neither input nor narration (the opening) are left out.
 */
function recentHistory(history: TurnContext['history'], budget: number): { items: Item[]; skipped: boolean } {
  const items: Item[] = [];
  let sum = HISTORY_FRAME;
  for (let i = history.length - 1; i >= 0; i--) {
    if (items.length > 0 && sum > budget) return { items: items.reverse(), skipped: true };
    // The opening is stored as a turn with neither input nor narration: nothing to show.
    if (!history[i]!.input.trim() && !history[i]!.response.trim()) continue;
    const entry = historyItem(history[i]!);
    items.push(entry);
    sum += entry.tokens;
  }
  return { items: items.reverse(), skipped: false };
}

/**
 * Token estimates of the texts that repeat from call to call (instructions, tasks, the author's
 * guidance): counted once per process instead of two or three times per call. Keyed by the text
 * itself; a miss costs one count.
 */
const repeatedTexts = new LRUCache<string, number>({ max: 256 });
function tokensOf(text: string): number {
  let n = repeatedTexts.get(text);
  if (n === undefined) {
    n = countTokens(text);
    repeatedTexts.set(text, n);
  }
  return n;
}

/**
 * Build the context for one narrator, judge or single (narrate-and-decide) call. The result's `totalTokens` is at most
 * `budgetTokens` unless the parts that always stay do not fit on their own.
 */
export function buildContext(role: ContextRole, ctx: TurnContext, opts: ContextOptions): BuiltContext {
  // What the call writes: narration (narrator, single) and a decision (judge, single).
  const writes = { narration: role !== 'judge', decision: role !== 'narrator' };
  const fixed = stableSections(role, ctx, opts, writes).map(([name, text, trimmed]): Measured => [name, text, trimmed, tokensOf(text)]);
  const parts = volatileParts(ctx, opts, writes);
  const tail: Measured[] = [measuredOnce('choices', renderSection('choices_on_offer', choicesBody(ctx.choices, writes.decision ? 'judge' : 'narrator')), false)];
  if (writes.decision) tail.push(measuredOnce('writable_variables', renderSection('writable_variables', variablesBody(ctx)), false));
  const input = keepHeadTokens(ctx.input, CONTEXT_LIMITS.input);
  const player = ctx.actorName ? ` player="${personName(ctx.actorName)}"` : '';
  // The player's words differ every call: counted, not cached.
  const inputSection = renderSection('player_input', input, ` kind="${ctx.action}"${player}`);
  tail.push(['input', inputSection, input !== ctx.input, countTokens(inputSection)]);
  const task = measuredOnce('task', role === 'narrator' ? narratorTask(ctx.action) : role === 'judge' ? JUDGE_TASK : singleCallTask(ctx.action), false);

  fitToBudget(parts, [...fixed, ...tail, task].reduce((n, section) => n + section[3], 0), opts.budgetTokens);
  const userParts = renderVolatile(parts, tail, task);

  const system = fixed.map(([, text]) => text).join('\n\n');
  // An author's note inside the history is in the history's text; its own entry has none.
  const user = userParts.flatMap(([, text]) => (text ? [text] : [])).join('\n\n');
  // Each section's estimate is known from its parts (measured once, kept current by the budget
  // loop); whitespace counts for nothing and ends every word, so the messages' estimate is their
  // sum: no further pass over the text.
  const sections: ContextSection[] = [...fixed, ...userParts].map(([name, , trimmed, tokens]) => ({ name, tokens, trimmed }));
  const totalTokens = sections.reduce((n, section) => n + section.tokens, 0);
  addDropped(sections, parts);
  return {
    system,
    messages: [
      { role: 'system', content: system, providerOptions: cacheMarker() },
      { role: 'user', content: user },
    ],
    sections,
    totalTokens,
  };
}

/** A rendered section with its token estimate. */
type Measured = [...Section, number];

/** A section whose text repeats from call to call (choices at a story's point, tasks): its estimate cached. */
function measuredOnce(name: SectionName, text: string, trimmed: boolean): Measured {
  return [name, text, trimmed, tokensOf(text)];
}

/**
 * The cards a turn's texts trigger, by turn: the narrator's call and then the judge's match the
 * same cards against the same texts (folding the story text and the last turn is most of it).
 * A turn's context is not changed once built; a different card list is matched anew.
 */
const triggeredByTurn = new WeakMap<TurnContext, { cards: readonly StoryCard[]; triggered: StoryCard[] }>();

function turnCards(ctx: TurnContext, cards: readonly StoryCard[]): StoryCard[] {
  const known = triggeredByTurn.get(ctx);
  if (known?.cards === cards) return known.triggered;
  const triggered = triggeredCards(cards, triggerTexts(ctx));
  triggeredByTurn.set(ctx, { cards, triggered });
  return triggered;
}

/** The parts of the volatile user message the budget may drop or cut, each measured once. */
function volatileParts(ctx: TurnContext, opts: ContextOptions, writes: { narration: boolean }) {
  const cardList = turnCards(ctx, opts.cards ?? ctx.cards ?? []);
  const cards = listOf(cardList.slice(0, CONTEXT_LIMITS.cards).map(cardItem), cardList.length > CONTEXT_LIMITS.cards, 'story_cards');
  cards.capped ||= cards.items.some((i) => i.capped);
  const summaryText = clipTail((opts.summary ?? ctx.summary ?? '').trim(), CONTEXT_LIMITS.summary);
  const mem = memoryItems(ctx.memories);
  const entries = recentHistory(ctx.history, opts.budgetTokens);
  const note = writes.narration ? (opts.authorNote ?? ctx.authorNote) : undefined;
  const noteText = clipHead((note?.text ?? '').trim(), CONTEXT_LIMITS.authorNote);
  const storyClip = clipTail(ctx.storyText.trim(), CONTEXT_LIMITS.storyText);
  const narrationClip = clipHead((opts.narration ?? '').trim(), CONTEXT_LIMITS.narration);
  return {
    cards,
    summary: new TextPart('story_so_far', summaryText.text, summaryText.cut),
    memories: listOf(mem.items, mem.capped, 'memories'),
    history: new ItemList(entries.items, HISTORY_FRAME, entries.skipped || entries.items.some((e) => e.capped)),
    authorNote: new TextPart('author_note', noteText.text, noteText.cut),
    /** How many history entries from the newest the author's note goes before. */
    depth: Math.max(0, Math.floor(note?.depth ?? DEFAULT_AUTHOR_NOTE_DEPTH)),
    story: new TextPart('story_text', storyClip.text, storyClip.cut, true),
    narration: writes.narration ? undefined : new TextPart('narration', narrationClip.text, narrationClip.cut, true),
  };
}

type VolatileParts = ReturnType<typeof volatileParts>;

/** Drop or cut the droppable parts, in order, until the estimate fits the budget. */
function fitToBudget(parts: VolatileParts, fixedTokens: number, budget: number): void {
  const { cards, summary, memories, history, authorNote, story, narration } = parts;
  const total = () => fixedTokens + cards.size + summary.size + memories.size + history.size + authorNote.size + story.size + (narration?.size ?? 0);
  while (total() > budget && history.length > 0) history.dropFirst();
  while (total() > budget && memories.length > 0) memories.dropLast();
  while (total() > budget && cards.length > 0) cards.dropLast();
  if (total() > budget) summary.drop();
  if (total() > budget) authorNote.drop();
  if (total() > budget) story.shrink(total() - budget, 'end');
  if (narration && total() > budget) narration.shrink(total() - budget, 'start');
}

/**
 * The user message's sections, stable → volatile, each with its estimate from its part. The
 * author's note goes inside the history fence, at its depth, and is reported as its own section
 * right after the history.
 */
function renderVolatile(parts: VolatileParts, tail: Measured[], task: Measured): Measured[] {
  const { cards, summary, memories, history, authorNote, story, narration } = parts;
  const userParts: Measured[] = [];
  if (cards.length > 0) userParts.push(['cards', `<story_cards>\n${cards.kept().join('\n\n')}\n</story_cards>`, cards.trimmed, cards.size]);
  if (summary.present) userParts.push(['summary', summary.render(), summary.trimmed, summary.size]);
  if (memories.length > 0) userParts.push(['memories', `<memories>\n${memories.kept().join('\n')}\n</memories>`, memories.trimmed, memories.size]);
  const noteBlock = authorNote.present ? authorNote.render() : '';
  if (history.length > 0) {
    const kept: string[] = history.kept();
    // Depth counts from the newest entry; with fewer entries kept, the note goes before them all.
    if (noteBlock) kept.splice(Math.max(0, kept.length - parts.depth), 0, noteBlock);
    userParts.push(['history', `<recent_history>\n${kept.join('\n\n')}\n</recent_history>`, history.trimmed, history.size]);
    // Inside the history's text, counted apart: the joined text's estimate is the sum of the two.
    if (noteBlock) userParts.push(['author_note', '', authorNote.trimmed, authorNote.size]);
  } else if (noteBlock) {
    userParts.push(['author_note', noteBlock, authorNote.trimmed, authorNote.size]);
  }
  userParts.push(['story_text', story.render(), story.trimmed, story.size], ...tail);
  if (narration) userParts.push(['narration', narration.render(), narration.trimmed, narration.size]);
  userParts.push(task);
  return userParts;
}

const ORDER: SectionName[] = ['instructions', 'story_instructions', 'persona', 'player_instructions', 'cards', 'summary', 'memories', 'history', 'author_note'];

/** Sections the turn had but the budget dropped entirely stay in the trace, with 0 tokens. */
function addDropped(sections: ContextSection[], parts: Record<'cards' | 'summary' | 'memories' | 'history' | 'authorNote', ItemList | TextPart>): void {
  const names: [SectionName, ItemList | TextPart][] = [
    ['cards', parts.cards],
    ['summary', parts.summary],
    ['memories', parts.memories],
    ['history', parts.history],
    ['author_note', parts.authorNote],
  ];
  for (const [name, part] of names) {
    if (!part.had || sections.some((s) => s.name === name)) continue;
    const at = sections.findIndex((s) => ORDER.indexOf(s.name) > ORDER.indexOf(name) || !ORDER.includes(s.name));
    sections.splice(at, 0, { name, tokens: 0, trimmed: true });
  }
}

/**
 * Append a section to the end of the user message (the judge's repair request), keeping the
 * trace in step. The caller reserves its tokens in the budget.
 */
export function appendSection(built: BuiltContext, name: SectionName, text: string): BuiltContext {
  const messages = built.messages.map((m, i) =>
    i === built.messages.length - 1 && m.role === 'user' && typeof m.content === 'string' ? { ...m, content: `${m.content}\n\n${text}` } : m,
  );
  const tokens = countTokens(text);
  return { ...built, messages, sections: [...built.sections, { name, tokens, trimmed: false }], totalTokens: built.totalTokens + tokens };
}
