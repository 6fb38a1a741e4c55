/**
 * The player's steering of a session's narrator: an author's note, a persona and their own
 * instructions (PATCH /api/sessions/:id). Each is checked here, stored with the session, and read
 * with the turn's one load, so steering costs a turn no extra statement.
 * @module
 */
import { cleanText } from './clean-text.js';
import { DramaError } from './errors.js';
import type { TurnContext } from './ports/narrator.js';
import type { SessionSteering } from './types.js';

/** Each text a player steers with (note, persona name + description, instructions) is at most this long. */
export const MAX_STEERING_CHARS = 2_000;
/** The author's note goes this many history entries (turns) before the newest, as AI Dungeon and NovelAI place it. */
export const AUTHOR_NOTE_DEPTH = 2;

/** A change: a field left out stays as it is; null or an empty text clears it. */
export interface SteeringPatch {
  authorNote?: string | null;
  persona?: { name: string; description: string } | null;
  instructions?: string | null;
}

function checked(path: string, raw: string): string {
  const text = cleanText(raw).trim();
  if ([...text].length > MAX_STEERING_CHARS) {
    throw new DramaError('payload_too_large', `${path} is longer than ${MAX_STEERING_CHARS} characters`, { details: [{ path, message: `at most ${MAX_STEERING_CHARS} characters` }] });
  }
  return text;
}

/** The steering after `patch`; throws `payload_too_large` naming the field that is too long. */
export function applySteering(current: SessionSteering | null | undefined, patch: SteeringPatch): SessionSteering {
  const next: SessionSteering = { ...current };
  if (patch.authorNote !== undefined) next.authorNote = patch.authorNote === null ? '' : checked('author_note', patch.authorNote);
  if (patch.instructions !== undefined) next.instructions = patch.instructions === null ? '' : checked('instructions', patch.instructions);
  if (patch.persona !== undefined) {
    const name = patch.persona ? checked('persona.name', patch.persona.name) : '';
    const description = patch.persona ? checked('persona.description', patch.persona.description) : '';
    next.persona = { name, description };
  }
  // Empty texts are not kept: a cleared field reads as absent.
  if (!next.authorNote) delete next.authorNote;
  if (!next.instructions) delete next.instructions;
  if (!next.persona?.name && !next.persona?.description) delete next.persona;
  return next;
}

/** The steering as the turn's context takes it. */
export function steeringContext(steering: SessionSteering | null | undefined): Pick<TurnContext, 'authorNote' | 'persona' | 'playerInstructions'> {
  if (!steering) return {};
  return {
    ...(steering.authorNote ? { authorNote: { text: steering.authorNote, depth: AUTHOR_NOTE_DEPTH } } : {}),
    ...(steering.persona ? { persona: steering.persona } : {}),
    ...(steering.instructions ? { playerInstructions: steering.instructions } : {}),
  };
}
