/**
 * Prose for the offline narrator. It is an honest stage direction, not an imitation of a
 * language model: it restates what the player did, echoes a sentence the story itself wrote and
 * lists what the story offers next. Templates vary by a seed so replays are stable but turns
 * don't all read alike.
 * @module
 */
import { isCjk, splitSentences } from '../../shared/text.js';
import type { Choice } from '../../domain/types.js';
import { pick } from './offline-hash.js';
import { prefersChinese, type OfflineTurn } from './offline-call.js';

type Rng = () => number;

const EN = {
  do: [(w: string) => `You try to ${w}.`, (w: string) => `You make up your mind and try to ${w}.`, (w: string) => `You set about it: you try to ${w}.`],
  say: [(w: string) => `You say: "${w}"`, (w: string) => `You speak up: "${w}"`, (w: string) => `You say aloud: "${w}"`],
  continue: ['You go on.', 'The story moves on.', 'A moment passes, and the story moves on.'],
  echo: [(s: string) => s, (s: string) => `Around you: ${s}`, (s: string) => `As the story has it: ${s}`],
  hint: [(l: string) => `The way ahead: ${l}.`, (l: string) => `The story offers: ${l}.`, (l: string) => `From here: ${l}.`],
  or: '; or ',
  waiting: ['The story waits for you to go on.', 'The story waits.'],
} as const;

const ZH = {
  do: [(w: string) => `你试着${w}。`, (w: string) => `你下定决心，试着${w}。`, (w: string) => `你动身，试着${w}。`],
  say: [(w: string) => `你说：“${w}”`, (w: string) => `你开口道：“${w}”`, (w: string) => `你说道：“${w}”`],
  continue: ['故事继续。', '片刻过去，故事继续向前。', '你继续前行。'],
  echo: [(s: string) => s, (s: string) => `四周依旧：${s}`, (s: string) => `故事里写着：${s}`],
  hint: [(l: string) => `前路：${l}。`, (l: string) => `故事给出的去路：${l}。`, (l: string) => `接下来可以：${l}。`],
  or: '；或者',
  waiting: ['故事等你继续。', '故事静静等待。'],
} as const;

/** Rewrite an English action into "you" form: "I want to grab my lamp." → "grab your lamp". */
export function toSecondPerson(input: string): string {
  let w = input.trim().replace(/^["“]+|["”]+$/g, '').replace(/[.!?。！？]+$/u, '').trim();
  w = w.replace(/^(?:i\s+(?:(?:really\s+)?(?:want|would like|'d like|will|am going|try|attempt|need)\s+(?:to\s+)?)?|i'(?:ll|m going to)\s+|let me\s+|let's\s+)/i, '');
  const swaps: Record<string, string> = { i: 'you', me: 'you', my: 'your', mine: 'yours', myself: 'yourself', am: 'are', "i'm": "you're" };
  w = w.replace(/\b(?:i'm|i|me|my|mine|myself|am)\b/gi, (m) => swaps[m.toLowerCase()] ?? m);
  // Lowercase a leading capital so it reads mid-sentence ("Climb" → "climb").
  return /^\p{Lu}\p{Ll}/u.test(w) ? w.charAt(0).toLowerCase() + w.slice(1) : w;
}

/** Rewrite a Chinese action into "你" form: "我要拿起我的灯。" → "拿起你的灯". */
export function toSecondPersonZh(input: string): string {
  const w = input.trim().replace(/[。！？.!?]+$/u, '');
  return w.replace(/^(?:我(?:想要|想|要|打算|准备|会|试着)?|让我)/u, '').replace(/我/gu, '你');
}

function choiceList(choices: Choice[], or: string, zh: boolean): string {
  const items = choices.map((c) => {
    const t = c.text.trim().replace(/[.!?。！？]+$/u, '');
    return zh ? t : t.charAt(0).toLowerCase() + t.slice(1);
  });
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(zh ? '；' : '; ')}${or}${items.at(-1)}`;
}

/** A sentence the story wrote, preferring the last one (what the player saw most recently). */
function storyEcho(storyText: string, rng: Rng): string | undefined {
  const sentences = splitSentences(storyText);
  if (sentences.length === 0) return undefined;
  return rng() < 0.6 ? sentences.at(-1) : sentences[Math.floor(rng() * sentences.length)];
}

/**
 * The offline narration for a turn: what the player did, one sentence from the story, and the
 * choices on offer (or that the story waits). Chinese when the player or story is.
 */
export function composeNarration(turn: OfflineTurn, rng: Rng): string {
  const zh = prefersChinese(turn);
  const t = zh ? ZH : EN;
  const parts: string[] = [];
  const input = turn.input.trim();
  const action = input.length === 0 ? 'continue' : turn.action;
  if (action === 'do') parts.push(pick(rng, t.do)(zh && isCjk(input) ? toSecondPersonZh(input) : toSecondPerson(input)));
  else if (action === 'say') parts.push(pick(rng, t.say)(input.replace(/^["“]+|["”]+$/g, '')));
  else if (action === 'story') parts.push(input);
  else parts.push(pick(rng, t.continue));
  const echo = storyEcho(turn.storyText, rng);
  if (echo !== undefined) parts.push(pick(rng, t.echo)(echo));
  if (turn.choices.length > 0) parts.push(pick(rng, t.hint)(choiceList(turn.choices, t.or, zh)));
  else parts.push(pick(rng, t.waiting));
  return parts.join(zh ? '' : ' ');
}

const CJK_SRC = String.raw`(?=[\p{L}\p{N}\p{M}])[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]`;
// One CJK letter (with spaces after it), or a run of other non-space characters with the
// whitespace after it, or leading whitespace. Every character falls in exactly one piece.
const PIECE_RE = new RegExp(String.raw`${CJK_SRC}[^\S\n]*|(?:(?!${CJK_SRC})\S)+\s*|\s+`, 'gu');
const LATIN_WORD_RE = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}]/u;

/**
 * Split text into stream deltas the way a model would send them: a word (with its trailing
 * space) at a time for spaced scripts, one to three characters at a time for CJK. The deltas
 * always join back to exactly `text`.
 */
export function chunkText(text: string, rng: Rng): string[] {
  const pieces = text.match(PIECE_RE) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < pieces.length; ) {
    if (LATIN_WORD_RE.test(pieces[i]!)) {
      chunks.push(pieces[i++]!);
      continue;
    }
    let n = 1 + Math.floor(rng() * 3);
    let chunk = '';
    while (n-- > 0 && i < pieces.length && !LATIN_WORD_RE.test(pieces[i]!)) chunk += pieces[i++];
    chunks.push(chunk);
  }
  return chunks;
}
