/**
 * What a virtual player types: on even turns the text of one of the offered choices (the judge
 * should take it), on odd turns free text in the story's language (the judge usually takes no
 * choice, so the ink state stays put). Deterministic per player and turn.
 */

export interface OfferedChoice {
  index: number;
  text: string;
}

const FREE_EN = [
  'I look around carefully and listen to the wind',
  'I ask quietly what happened here',
  'I wait a moment and steady my breathing',
  'I check my pockets for anything useful',
  'I hum an old tune to keep my courage up',
  'I study the faces around me',
];
const FREE_ZH = ['我环顾四周，静静听着雨声', '我低声问这里发生了什么', '我深吸一口气，稳住心神', '我给老茶客们续上热茶', '我看了看窗外的河面', '我把账本又翻了一遍'];

const CJK = /[\u3400-\u9fff]/u;

function hash(a: number, b: number): number {
  let h = (a * 2654435761) ^ (b * 40503);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^ (h >>> 16)) >>> 0;
}

export function nextInput(player: number, turn: number, choices: OfferedChoice[], storyText: string): { input: string; action: 'do' | 'say' | 'continue'; kind: 'choice' | 'free' | 'continue' } {
  const zh = CJK.test(storyText) || choices.some((c) => CJK.test(c.text));
  const h = hash(player + 1, turn + 1);
  if (turn % 2 === 0 && choices.length > 0) {
    const choice = choices[h % choices.length]!;
    return { input: choice.text, action: 'do', kind: 'choice' };
  }
  if (choices.length === 0 && turn % 2 === 0) return { input: '', action: 'continue', kind: 'continue' };
  const pool = zh ? FREE_ZH : FREE_EN;
  return { input: pool[h % pool.length]!, action: h % 3 === 0 ? 'say' : 'do', kind: 'free' };
}
