import fc from 'fast-check';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { validateDecision } from '../domain/decision.js';
import { isDramaError } from '../domain/errors.js';
import type { Choice } from '../domain/types.js';
import { chineseTurn, englishTurn } from './__fixtures__/turn-context.js';
import { createJudge } from './judge.js';
import { DEFAULT_MATCH_THRESHOLD, decideOffline, matchChoice, rateImportance } from './offline/offline-judgement.js';
import { OfflineLanguageModel } from './offline/offline-language-model.js';

const judge = createJudge({ model: new OfflineLanguageModel('offline-judge') });
const NARRATION = 'You try to climb. Rain hammers the windows of the lighthouse.';

async function choiceFor(input: string, zh = false): Promise<number | null> {
  const context = zh ? chineseTurn(input) : englishTurn(input);
  const { raw } = await judge.judge(context, NARRATION);
  return validateDecision(raw, context.choices, context.writableVariables).choiceIndex;
}

describe('createJudge with the offline model', () => {
  it('matches English paraphrases to the right choice', async () => {
    expect(await choiceFor('I want to climb up to the lamp room')).toBe(0);
    expect(await choiceFor('climbing the stairs')).toBe(0);
    expect(await choiceFor('go back to the harbour')).toBe(1);
    expect(await choiceFor('Return to the harbour')).toBe(1);
  });

  it('matches Chinese paraphrases to the right choice', async () => {
    expect(await choiceFor('我要爬上楼梯去灯室', true)).toBe(0);
    expect(await choiceFor('上楼', true)).toBe(0);
    expect(await choiceFor('我想回去码头看看', true)).toBe(1);
  });

  it('returns null for unrelated input', async () => {
    expect(await choiceFor('I eat a sandwich')).toBeNull();
    expect(await choiceFor('look around the room')).toBeNull();
    expect(await choiceFor('what is the meaning of life?')).toBeNull();
    expect(await choiceFor('我吃了一个苹果', true)).toBeNull();
    expect(await choiceFor('')).toBeNull();
  });

  it('takes a bare number as the 1-based position in the list', async () => {
    expect(await choiceFor('2')).toBe(1);
    expect(await choiceFor('１')).toBe(0);
    expect(await choiceFor('3')).toBeNull();
  });

  it('proposes no variable changes, rates memories and summarises in one sentence', async () => {
    const { raw, info } = await judge.judge(englishTurn('I promise Anna I will climb to the lamp room', 'say'), NARRATION);
    const d = validateDecision(raw, englishTurn().choices, []);
    expect(d.variableUpdates).toEqual([]);
    expect(d.memories.length).toBeGreaterThan(0);
    expect(d.memories.length).toBeLessThanOrEqual(2);
    expect(d.memories[0]!.importance).toBeGreaterThanOrEqual(7);
    expect(d.summary).toMatch(/^The player said ".+"/);
    expect(info.modelId).toBe('offline-judge');
    expect(info.outputTokens).toBeGreaterThan(0);
  });

  it('summarises in Chinese for a Chinese story', async () => {
    const { raw } = await judge.judge(chineseTurn(), '你试着爬上楼梯去灯室。');
    expect((raw as { summary: string }).summary).toBe('玩家尝试“我要爬上楼梯去灯室”，选择了“爬上楼梯到灯室”。');
  });

  it('is deterministic', async () => {
    const a = await judge.judge(englishTurn('I swear to find the keeper'), NARRATION);
    const b = await judge.judge(englishTurn('I swear to find the keeper'), NARRATION);
    expect(b.raw).toEqual(a.raw);
  });
});

describe('offline judgement rules', () => {
  it('refuses to pick between equally close choices', () => {
    const choices = [{ index: 0, text: 'Go north' }, { index: 1, text: 'Go south' }];
    expect(matchChoice('go', choices)).toBeNull();
    expect(matchChoice('go north', choices)?.index).toBe(0);
  });

  it('rates stakes, speech, names and choices higher', () => {
    expect(rateImportance('look around', 'do', false)).toBe(2);
    expect(rateImportance('I will kill the keeper', 'do', false)).toBe(5);
    expect(rateImportance('Tell Anna my secret', 'say', true)).toBe(9);
    expect(rateImportance('告诉她我的秘密', 'say', false)).toBe(6);
  });

  const choiceList = fc
    .uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 5 })
    .chain((indexes) =>
      fc.tuple(...indexes.map((index) => fc.string({ unit: 'grapheme', maxLength: 30 }).map((text): Choice => ({ index, text })))),
    );
  const input = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.constantFrom('1', '2', '7', '0', 'climb', '爬上楼梯', '  ', 'Go north'),
  );

  it('only ever picks an offered choice, and its output always validates', () => {
    fc.assert(
      fc.property(choiceList, input, fc.constantFrom('do', 'say', 'story', 'continue'), fc.string({ maxLength: 60 }), (choices, text, action, narration) => {
        const turn = { storyTitle: 't', storyText: 'x', choices, input: text, action, turnNo: 0 } as const;
        const raw = decideOffline({ ...turn, choices: [...choices] }, narration, DEFAULT_MATCH_THRESHOLD);
        expect(raw.choiceIndex === null || choices.some((c) => c.index === raw.choiceIndex)).toBe(true);
        expect(() => validateDecision(raw, choices, [])).not.toThrow();
      }),
    );
  });

  it('validates through the whole SDK path too', async () => {
    await fc.assert(
      fc.asyncProperty(choiceList, input, async (choices, text) => {
        const context = englishTurn(text, 'do', { choices: [...choices] });
        const { raw } = await judge.judge(context, 'Something happens.');
        expect(() => validateDecision(raw, choices, context.writableVariables)).not.toThrow();
      }),
      { numRuns: 40 },
    );
  });
});

describe('createJudge error seam', () => {
  function garbageModel(text: string): MockLanguageModelV3 {
    return new MockLanguageModelV3({
      doGenerate: async () => ({
        content: [{ type: 'text', text }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 5, text: 5, reasoning: 0 },
        },
        warnings: [],
      }),
    });
  }

  it.each([
    ['not JSON', '{"choiceIndex": 0, "variab'],
    ['the wrong shape', '{"choiceIndex": "first", "memories": []}'],
  ])('turns %s into model_output_invalid', async (_label, text) => {
    const err: unknown = await createJudge({ model: garbageModel(text) })
      .judge(englishTurn(), NARRATION)
      .catch((e: unknown) => e);
    expect(isDramaError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'model_output_invalid', retryable: false });
    expect((err as { details: { text?: string } }).details.text).toBe(text);
  });

  it('appends the repair request to the user message, within the budget, and reports it', async () => {
    const model = garbageModel('{"choiceIndex": null, "variableUpdates": [], "memories": [], "summary": "ok"}');
    const repair = { previous: { choiceIndex: 7 }, problems: [{ path: 'choiceIndex', message: 'not offered' }] };
    const history = Array.from({ length: 40 }, (_, i) => ({ turnNo: i + 1, input: 'look', action: 'do' as const, response: 'The wind howls. '.repeat(20), storyText: '' }));
    const { info } = await createJudge({ model, contextBudgetTokens: 2000 }).judge(englishTurn('climb', 'do', { history }), NARRATION, { repair });
    const sent = model.doGenerateCalls[0]!.prompt;
    expect(sent.map((m) => m.role)).toEqual(['system', 'user']);
    const user = sent[1]!.content as { type: string; text: string }[];
    expect(user[0]!.text).toMatch(/Decide now\.\n\n<rejected_answer>\n\{"choiceIndex":7\}\n<\/rejected_answer>\n[\s\S]*- choiceIndex: not offered/);
    expect(info.request!.sections.at(-1)).toMatchObject({ name: 'repair', trimmed: false });
    expect(info.request!.totalTokens).toBeLessThanOrEqual(2000);
    expect(info.request!.sections.find((s) => s.name === 'history')).toMatchObject({ trimmed: true });
  });

  it('turns a failing model into a retryable model_unavailable', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    });
    const err = await createJudge({ model }).judge(englishTurn(), NARRATION).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'model_unavailable', retryable: true });
  });
});
