import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import type { Judge, JudgeRepair } from './ports/judge.js';
import type { TurnContext } from './ports/narrator.js';

const context: TurnContext = {
  storyTitle: 'T',
  storyText: 'A hall.',
  choices: [
    { index: 0, text: 'Light the lamp' },
    { index: 1, text: 'Leave' },
  ],
  variables: { gold: 1 },
  writableVariables: [{ name: 'gold', type: 'int' }],
  memories: [],
  history: [],
  input: 'light it',
  action: 'do',
};
const good = { choiceIndex: 0, variableUpdates: [], memories: [], summary: 'ok' };
const bad = { choiceIndex: 7, variableUpdates: [], memories: [], summary: 'no' };

/** A judge at the port seam that answers from a script and records repair requests. */
function scripted(...answers: unknown[]): Judge & { repairs: (JudgeRepair | undefined)[] } {
  const repairs: (JudgeRepair | undefined)[] = [];
  let i = 0;
  return {
    repairs,
    async judge(_c, _n, opts) {
      repairs.push(opts?.repair);
      return { raw: answers[Math.min(i++, answers.length - 1)], info: { modelId: 'scripted', inputTokens: 10, outputTokens: 5 } };
    },
  };
}

const signal = new AbortController().signal;

describe('decide', () => {
  it('takes a valid first answer as is', async () => {
    const judge = scripted(good);
    const out = await decide({ judge }, context, 'n', signal, context.writableVariables);
    expect(out.decision.choiceIndex).toBe(0);
    expect(out).toMatchObject({ repaired: false, fellBack: false });
    expect(out.calls.map((c) => c.role)).toEqual(['judge']);
  });

  it('sends the problems back once and accepts a repaired answer', async () => {
    const judge = scripted(bad, good);
    const out = await decide({ judge }, context, 'n', signal, context.writableVariables);
    expect(out.repaired).toBe(true);
    expect(out.calls.map((c) => c.role)).toEqual(['judge', 'judge-repair']);
    expect(judge.repairs[1]?.previous).toEqual(bad);
    expect(judge.repairs[1]?.problems[0]?.message).toMatch(/not on offer/);
  });

  it('falls back to the fallback judge after a failed repair, and says so', async () => {
    const judge = scripted(bad, 'still garbage');
    const fallbackJudge = scripted({ choiceIndex: null, variableUpdates: [], memories: [], summary: 'offline' });
    const out = await decide({ judge, fallbackJudge }, context, 'n', signal, context.writableVariables);
    expect(out).toMatchObject({ repaired: false, fellBack: true });
    expect(out.decision.summary).toBe('offline');
    expect(out.calls.map((c) => c.role)).toEqual(['judge', 'judge-repair', 'judge-fallback']);
    expect(out.answers).toEqual([bad, 'still garbage', expect.anything()]);
  });

  it('fails with judge_invalid_decision when there is no fallback', async () => {
    await expect(decide({ judge: scripted(bad) }, context, 'n', signal, context.writableVariables)).rejects.toMatchObject({ code: 'judge_invalid_decision' });
  });

  it('does not repair errors that are not about the answer (e.g. the model is down)', async () => {
    let calls = 0;
    const judge: Judge = {
      async judge() {
        calls += 1;
        throw Object.assign(new Error('down'), { code: 'model_unavailable' });
      },
    };
    await expect(decide({ judge, fallbackJudge: scripted(good) }, context, 'n', signal, context.writableVariables)).rejects.toThrow('down');
    expect(calls).toBe(1);
  });
});
