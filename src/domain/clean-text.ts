// C0/C1 control characters other than tab and newline: PostgreSQL rejects NUL outright, and the
// rest only corrupt transcripts and prompts.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Make untrusted text (player input, model output) safe to store: no control characters, well-formed UTF-16, \r\n → \n. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '').toWellFormed();
}
