/**
 * Decisions for the offline judge: match the player's words to an offered choice by text
 * similarity, rate what happened by simple rules, never touch story variables.
 * @module
 */
import { MAX_MEMORY_CHARS, MAX_SUMMARY_CHARS, type RawDecision } from '../../domain/decision.js';
import type { Choice, MemoryDraft } from '../../domain/types.js';
import { clampChars, countTokens, normalizeText, similarity, splitSentences } from '../../shared/text.js';
import { prefersChinese, type OfflineTurn } from './offline-call.js';

/**
 * Default minimum {@link similarity} for the input to count as taking a choice. Paraphrases that
 * share a content word plus context score 0.4–0.9 ("go back to the harbour" vs "Return to the
 * harbour" 0.45, "我想回去码头看看" vs "回到码头" 0.46); an input sharing a single incidental word
 * with a long choice scores about 0.3 ("look around the room" vs "Climb the stairs to the lamp
 * room" 0.31); unrelated input scores under 0.15. 0.35 sits between the last two: a false match
 * moves the story somewhere the player did not ask to go, which is worse than no match.
 */
export const DEFAULT_MATCH_THRESHOLD = 0.35;

/** The offered choice the input means, or null. */
export function matchChoice(input: string, choices: readonly Choice[], threshold = DEFAULT_MATCH_THRESHOLD): Choice | null {
  const text = normalizeText(input).trim();
  if (text.length === 0 || choices.length === 0) return null;
  // A bare number is the choice's position as players see it listed (1-based), not the ink index.
  if (/^\d+$/.test(text)) return choices[Number(text) - 1] ?? null;
  const exact = choices.find((c) => normalizeText(c.text).trim() === text);
  if (exact) return exact;
  let best: Choice | null = null;
  let bestScore = -1;
  let tie = false;
  for (const c of choices) {
    const s = similarity(input, c.text);
    if (s > bestScore + 1e-9) {
      best = c;
      bestScore = s;
      tie = false;
    } else if (Math.abs(s - bestScore) <= 1e-9) tie = true;
  }
  // Two choices equally close ("go" vs "Go north" / "Go south") means the player did not pick one.
  return best !== null && !tie && bestScore >= threshold ? best : null;
}

const KEYWORD_RE =
  /\b(?:promis|swear|swore|vow|oath|kill|murder|die|dead|death|love|hate|secret|betray|marr|steal|stole|lied|liar|truth|treasure|confess|forgive)\w*|秘密|承诺|答应|发誓|誓言|杀|死|爱|恨|背叛|偷|真相|宝藏|坦白|原谅|约定/iu;

/** Importance 1–10 from cues that tend to matter later: stakes words, speech, names, choices, detail. */
export function rateImportance(input: string, action: OfflineTurn['action'], tookChoice: boolean): number {
  let score = 2;
  if (tookChoice) score += 2;
  if (KEYWORD_RE.test(input)) score += 3;
  if (action === 'say' || /["“”「」『』]/u.test(input)) score += 1;
  // A capitalised word that does not start a sentence is probably a name.
  if (/(?<![.!?]\s*|^\s*|[\p{L}\p{N}'’])(?!I\b)\p{Lu}\p{Ll}+/u.test(input)) score += 1;
  if (countTokens(input) > 20) score += 1;
  return Math.min(10, Math.max(1, score));
}

const LABELS = {
  en: { do: 'Player action', say: 'Player said', story: 'Player wrote', continue: 'Player went on', chose: 'Chose', q: ['"', '"'], sep: ': ', dash: ' — ' },
  zh: { do: '玩家行动', say: '玩家说', story: '玩家写道', continue: '玩家继续', chose: '选择了', q: ['“', '”'], sep: '：', dash: '——' },
} as const;

const SUMMARY = {
  en: { do: 'The player tried', say: 'The player said', story: 'The player wrote', continue: 'The story moved on', took: ', taking the choice', end: '.' },
  zh: { do: '玩家尝试', say: '玩家说', story: '玩家写道', continue: '故事继续', took: '，选择了', end: '。' },
} as const;

/** The narration's first sentence that adds something beyond restating the input. */
function narrationLead(narration: string, input: string): string | undefined {
  const sentences = splitSentences(narration);
  return sentences.find((s) => similarity(s, input) < 0.6) ?? sentences[0];
}

/**
 * The offline judge's decision for a turn. No variable updates; at most two memories (what the
 * player did, and the choice taken); a one-sentence summary. Deterministic.
 */
export function decideOffline(turn: OfflineTurn, narration: string, threshold = DEFAULT_MATCH_THRESHOLD): RawDecision {
  const lang = prefersChinese(turn) ? 'zh' : 'en';
  const input = turn.input.trim().replace(/\s+/gu, ' ');
  const choice = matchChoice(input, turn.choices, threshold);
  const importance = rateImportance(input, turn.action, choice !== null);
  const l = LABELS[lang];
  const quote = (s: string) => `${l.q[0]}${clampChars(s, 200, '…')}${l.q[1]}`;
  const memories: MemoryDraft[] = [];
  if (input.length > 0) {
    const lead = narrationLead(narration, input);
    const text = `${l[turn.action]}${l.sep}${quote(input)}${lead ? `${l.dash}${lead}` : ''}`;
    memories.push({ text: clampChars(text, MAX_MEMORY_CHARS, '…'), importance });
  }
  if (choice) memories.push({ text: clampChars(`${l.chose}${l.sep}${quote(choice.text)}`, MAX_MEMORY_CHARS, '…'), importance });
  const s = SUMMARY[lang];
  const sp = lang === 'zh' ? '' : ' ';
  const what = input.length === 0 ? s.continue : `${s[turn.action === 'continue' ? 'do' : turn.action]}${sp}${quote(input)}`;
  const body = `${what}${choice ? `${s.took}${sp}${quote(choice.text)}` : ''}`;
  // 'said "Why?"' is already a full sentence; a period after the quote would double it.
  const summary = /[.!?。！？…]["”]$/u.test(body) ? body : `${body}${s.end}`;
  return {
    choiceIndex: choice?.index ?? null,
    variableUpdates: [],
    memories,
    summary: clampChars(summary, MAX_SUMMARY_CHARS, '…'),
  };
}
