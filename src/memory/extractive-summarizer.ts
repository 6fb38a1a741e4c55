/**
 * The offline Summarizer: extractive, deterministic, no model. Each folded turn contributes what
 * the player did and the first sentence of its narration (sentences split on . ! ? … and their
 * CJK forms); the rolling summary keeps its newest sentences within the character budget.
 * @module
 */
import type { Summarizer } from '../domain/ports/summarizer.js';
import type { HistoryEntry } from '../domain/types.js';
import { clampChars, isCjk, splitSentences } from '../shared/text.js';

/** The sentence a turn contributes: "input — first sentence of the narration". */
export function turnGist(turn: HistoryEntry): string {
  const input = turn.input.trim().replace(/\s+/gu, ' ');
  const lead = splitSentences(turn.response)[0] ?? splitSentences(turn.storyText)[0] ?? '';
  const cjk = isCjk(input + lead);
  const parts = [input ? clampChars(input, 200, '…') : '', clampChars(lead, 300, '…')].filter(Boolean);
  if (parts.length === 0) return '';
  const joined = parts.join(cjk ? '——' : ' — ');
  return /[.!?…。！？」』"”]$/u.test(joined) ? joined : `${joined}${cjk ? '。' : '.'}`;
}

/** Keep the newest whole sentences of `text` within `maxChars`. */
export function keepNewest(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const sentences = splitSentences(text);
  const sep = isCjk(text) ? '' : ' ';
  const kept: string[] = [];
  let size = 0;
  for (let i = sentences.length - 1; i >= 0; i--) {
    const s = sentences[i]!;
    const add = s.length + (kept.length > 0 ? sep.length : 0);
    if (size + add > maxChars) break;
    kept.unshift(s);
    size += add;
  }
  const joined = kept.join(sep);
  return joined || clampChars(text.slice(-maxChars), maxChars);
}

/** Create the offline summarizer. */
export function createExtractiveSummarizer(): Summarizer {
  return {
    modelId: 'offline-extractive',
    async summarize({ previous, turns, maxChars }) {
      const gists = [...new Set(turns.map(turnGist).filter(Boolean))];
      const cjk = isCjk(gists.join(''));
      const text = [previous?.trim() ?? '', ...gists].filter(Boolean).join(cjk ? '' : ' ');
      return keepNewest(text, maxChars);
    },
  };
}
