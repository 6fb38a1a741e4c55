import { DramaError } from './errors.js';
import type { ActionKind } from './types.js';

// C0/C1 control characters other than tab and newline: PostgreSQL rejects NUL outright, and the
// rest only corrupt transcripts and prompts.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Make untrusted text (player input, model output) safe to store: no control characters, well-formed UTF-16, \r\n → \n. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '').toWellFormed();
}

/** A player's words as a turn takes them: cleaned, trimmed, within `maxChars`, not empty unless continuing. */
export function checkedActionInput(raw: string, action: ActionKind, maxChars: number): string {
  const input = cleanText(raw).trim();
  if ([...input].length > maxChars) throw new DramaError('payload_too_large', `user_input is longer than ${maxChars} characters`);
  if (input.length === 0 && action !== 'continue') {
    throw new DramaError('bad_request', 'user_input is empty', { details: [{ path: 'user_input', message: 'required unless action is "continue"' }] });
  }
  return input;
}
