/**
 * CPU of building the prompts alone: the narrator's and then the judge's context of N turns,
 * each shaped like a benchmark player's (the story's text, three choices, eight cards, the
 * last eight turns, five recalled memories, a 30-word passage to judge). Texts vary per call, as
 * they do from turn to turn, so no cache sees the same volatile text twice.
 * `npx tsx bench/tools/context-cpu.ts --turns 20000 [--chinese]`
 */
import type { TurnContext } from '../../src/domain/ports/narrator.js';
import { buildContext, DEFAULT_CONTEXT_BUDGETS } from '../../src/llm/context/build-context.js';
import { num, parseFlags } from '../lib/args.js';

const USAGE = 'npx tsx bench/tools/context-cpu.ts [--turns 20000] [--chinese]';
const flags = parseFlags(process.argv.slice(2), { turns: 'value', chinese: 'switch' }, USAGE);
const calls = num(flags, 'turns', 20_000);
const chinese = flags.get('chinese') === true;

const SENTENCES = chinese
  ? ['灯在风中摇曳，守灯人沿着螺旋楼梯往上爬，数着他数过上千次的台阶。', '潮水退去，礁石上露出一口生锈的铜钟。', '远处有狗叫了两声，又安静下来。']
  : [
      'The lamp gutters in the wind as the keeper climbs the spiral stair, counting the steps he has counted a thousand times before.',
      'The tide draws back and a rusted bronze bell shows on the rocks below Gull Rock.',
      'Far off, a dog barks twice and then thinks better of it.',
    ];
const prose = (n: number, seed: number) => Array.from({ length: n }, (_, i) => SENTENCES[(seed + i) % SENTENCES.length]).join(' ');

function turn(i: number): { ctx: TurnContext; narration: string } {
  const input = chinese ? `我第${i}次推开门，四处张望。` : `player ${i % 300} turn ${i}: I open the door and look around.`;
  const ctx: TurnContext = {
    storyTitle: 'The Drowned Bell',
    storyInstructions: 'Gothic, quiet, second person. Keep the sea present in every passage.',
    storyText: `${prose(8, i)} (${i})`.slice(-1000),
    choices: [
      { index: 0, text: chinese ? '爬上灯塔' : 'Climb the lighthouse' },
      { index: 1, text: chinese ? '走向码头' : 'Walk to the harbour' },
      { index: 2, text: chinese ? '敲响铜钟' : 'Ring the bell' },
    ],
    variables: { courage: 3, has_key: false, name: 'Keeper' },
    writableVariables: [{ name: 'courage', type: 'int' }],
    memories: Array.from({ length: 5 }, (_, k) => ({
      id: `m${k}`,
      sessionId: 's',
      turnNo: k + 1,
      kind: 'event' as const,
      text: `The player: ${chinese ? '我' : 'I'} did thing ${i - k} — ${SENTENCES[k % SENTENCES.length]}`,
      importance: 3,
      score: 0.5,
    })),
    history: Array.from({ length: 8 }, (_, k) => ({
      turnNo: k + 1,
      input: `turn ${i - 8 + k}: I look around.`,
      action: 'do' as const,
      response: prose(3, i + k),
      storyText: '',
    })),
    input,
    action: 'do',
    cards: Array.from({ length: 8 }, (_, k) => ({ name: `card ${k}`, keywords: [k % 2 ? 'bell' : `word${k}`, '铜钟'], text: `A card about thing number ${k}, the harbour and the lamp.` })),
  };
  return { ctx, narration: prose(2, i + 1) };
}

// The turns first, each its own objects as a loaded turn's are, so only building is measured.
const turns = Array.from({ length: calls }, (_, i) => turn(i));
let tokens = 0;
const before = process.cpuUsage();
for (const t of turns) {
  // A turn builds the narrator's context, then the judge's of the same turn and passage.
  tokens += buildContext('narrator', t.ctx, { budgetTokens: DEFAULT_CONTEXT_BUDGETS.narrator }).totalTokens;
  tokens += buildContext('judge', t.ctx, { budgetTokens: DEFAULT_CONTEXT_BUDGETS.judge, narration: t.narration }).totalTokens;
}
const used = process.cpuUsage(before);
console.log(JSON.stringify({ turns: calls, chinese, cpuUsPerTurn: +((used.user + used.system) / calls).toFixed(1), meanTokensPerCall: Math.round(tokens / (2 * calls)) }));
