/**
 * The readable transcript of a session's timeline: what a shared link shows and what the Markdown
 * export writes. Passages, inputs, the choices offered and the one taken, tags; never memories,
 * cards, traces or who played.
 * @module
 */
import type { ActionKind, StoryView } from './types.js';

/** One turn of a transcript. */
export interface TranscriptTurn {
  turn_no: number;
  action: ActionKind;
  input: string;
  /** The narrator's text for the turn (empty for the opening). */
  narration: string;
  /** The ink passage the turn led to (empty when it took no choice). */
  passage: string;
  tags: string[];
  /** The choice the turn took, among those the turn before offered; null when it took none. */
  choice_taken: { index: number; text: string } | null;
  /** What the story offered after the turn. */
  choices_offered: { index: number; text: string }[];
}

export interface Transcript {
  story_title: string;
  ended: boolean;
  turns: TranscriptTurn[];
}

/** What a transcript reads of a turn. */
export interface TranscriptSource {
  turnNo: number;
  action: ActionKind;
  input: string;
  response: string;
  choiceIndex: number | null;
  view: StoryView;
}

/** Build the transcript from the active turns, oldest first. */
export function buildTranscript(storyTitle: string, turns: TranscriptSource[]): Transcript {
  let offered: StoryView['choices'] = [];
  const out: TranscriptTurn[] = turns.map((t) => {
    const taken = t.choiceIndex === null ? null : (offered.find((c) => c.index === t.choiceIndex) ?? { index: t.choiceIndex, text: '' });
    // A turn without a choice keeps the choices that were on offer.
    if (t.turnNo === 0 || t.choiceIndex !== null) offered = t.view.choices;
    return {
      turn_no: t.turnNo,
      action: t.action,
      input: t.input,
      narration: t.response,
      passage: t.view.text,
      tags: t.view.tags,
      choice_taken: taken ? { index: taken.index, text: taken.text } : null,
      choices_offered: offered.map((c) => ({ index: c.index, text: c.text })),
    };
  });
  return { story_title: storyTitle, ended: turns.at(-1)?.view.ended ?? false, turns: out };
}

const quote = (text: string) =>
  text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

/** The transcript as Markdown: a heading per turn, the player's input quoted, passages as paragraphs. */
export function transcriptMarkdown(t: Transcript): string {
  const parts = [`# ${t.story_title}`];
  for (const turn of t.turns) {
    parts.push(turn.turn_no === 0 ? '## Opening' : `## Turn ${turn.turn_no}`);
    if (turn.input) parts.push(quote(`**${turn.action}:** ${turn.input}`));
    if (turn.choice_taken) parts.push(`*Choice: ${turn.choice_taken.text}*`);
    if (turn.narration) parts.push(turn.narration);
    if (turn.passage) parts.push(turn.passage);
    if (turn.tags.length > 0) parts.push(`Tags: ${turn.tags.map((tag) => `\`${tag}\``).join(', ')}`);
  }
  const last = t.turns.at(-1);
  if (t.ended) parts.push('*The End.*');
  else if (last && last.choices_offered.length > 0) parts.push(['Choices on offer:', ...last.choices_offered.map((c) => `- ${c.text}`)].join('\n'));
  return `${parts.join('\n\n')}\n`;
}
