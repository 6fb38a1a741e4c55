/**
 * The tagged data sections of a prompt. Story text, lore, history and the player's words travel
 * inside `<tag>…</tag>` fences and the instructions say fenced text is data, so a player typing
 * "ignore previous instructions" is quoted, not obeyed. For that to hold, data must not be able
 * to open or close one of our fences: every occurrence of our tag names in data is defused.
 * @module
 */

/** Every fence the prompts use. Data may not contain any of them. */
export const SECTION_TAGS = [
  'story_instructions',
  'persona',
  'player_instructions',
  'story_cards',
  'story_so_far',
  'memories',
  'recent_history',
  'author_note',
  'story_text',
  'choices_on_offer',
  'writable_variables',
  'player_input',
  'narration',
  'rejected_answer',
] as const;

export type SectionTag = (typeof SECTION_TAGS)[number];

// Lenient about spacing and case ("< / Player_Input >") because models are lenient readers too.
const TAG_RE = new RegExp(`<(\\s*/?\\s*)(${SECTION_TAGS.join('|')})\\b`, 'gi');

/** Replace the `<` of any of our tags inside data with `‹`, so the data reads the same but cannot fence. */
export function defuseTags(text: string): string {
  // Most data has no `<` at all: no need to run the tag regex over it.
  return text.includes('<') ? text.replace(TAG_RE, '‹$1$2') : text;
}

/**
 * One fenced section: `<tag attrs>\nbody\n</tag>`, body defused and trimmed, `(none)` when empty.
 * The newline framing matters for budgeting: whitespace splits token runs, so the token estimate
 * of a section is the sum of its frame and its body.
 */
export function renderSection(tag: SectionTag, body: string, attrs = ''): string {
  const safe = defuseTags(body).trim();
  return `<${tag}${attrs}>\n${safe || '(none)'}\n</${tag}>`;
}
