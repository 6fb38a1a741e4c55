/**
 * The stable system message of a call: the instructions, then (for calls that narrate) the
 * author's guidance, the player's persona and the player's own instructions, in that order, so
 * the player's words come after and below the rules and the author's.
 * @module
 */
import type { TurnContext } from '../../domain/ports/narrator.js';
import type { ContextOptions, ContextRole, SectionName } from './context-types.js';
import { clipHead } from './clip.js';
import { judgeInstructions, narratorInstructions, PERSONA_INTRO, PLAYER_INSTRUCTIONS_INTRO, singleCallInstructions, STORY_INSTRUCTIONS_INTRO } from './instructions.js';
import { CONTEXT_LIMITS } from './pieces.js';
import { defuseTags, renderSection } from './tags.js';

/** A rendered section: its name, its text, and whether it was cut. */
export type Section = [SectionName, string, boolean];

/** The stable system message: instructions, then the author's guidance. */
export function stableSections(role: ContextRole, ctx: TurnContext, opts: ContextOptions, writes: { narration: boolean }): Section[] {
  const title = clipHead(defuseTags(ctx.storyTitle.replace(/\s+/gu, ' ').trim()), CONTEXT_LIMITS.title).text;
  const fixed: Section[] = [['instructions', role === 'narrator' ? narratorInstructions(title, opts.style) : role === 'judge' ? judgeInstructions() : singleCallInstructions(title, opts.style), false]];
  const guidance = writes.narration ? (ctx.storyInstructions ?? '').trim() : '';
  if (guidance) {
    const clipped = clipHead(guidance, CONTEXT_LIMITS.storyInstructions);
    fixed.push(['story_instructions', `${STORY_INSTRUCTIONS_INTRO}\n${renderSection('story_instructions', clipped.text)}`, clipped.cut]);
  }
  if (!writes.narration) return fixed;
  const persona = ctx.persona ? `${ctx.persona.name.trim()}: ${ctx.persona.description.trim()}`.replace(/^: |: $/g, '') : '';
  if (persona) {
    const clipped = clipHead(persona, CONTEXT_LIMITS.persona);
    fixed.push(['persona', `${PERSONA_INTRO}\n${renderSection('persona', clipped.text)}`, clipped.cut]);
  }
  const wishes = (ctx.playerInstructions ?? '').trim();
  if (wishes) {
    const clipped = clipHead(wishes, CONTEXT_LIMITS.playerInstructions);
    fixed.push(['player_instructions', `${PLAYER_INSTRUCTIONS_INTRO}\n${renderSection('player_instructions', clipped.text)}`, clipped.cut]);
  }
  return fixed;
}
