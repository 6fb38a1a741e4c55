import { APICallError } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import type { ModelCallInfo, Narrator, TurnContext } from '../domain/ports/narrator.js';
import { cjkRatio } from '../shared/text.js';
import { chineseTurn, englishTurn } from './__fixtures__/turn-context.js';
import { createNarrator } from './narrator.js';
import { OfflineLanguageModel } from './offline/offline-language-model.js';

async function narrate(narrator: Narrator, context: TurnContext, signal?: AbortSignal): Promise<{ deltas: string[]; info: ModelCallInfo }> {
  const deltas: string[] = [];
  const info = await narrator.narrate(context, { ...(signal ? { signal } : {}), onText: (d) => deltas.push(d) });
  return { deltas, info };
}

describe('createNarrator with the offline model', () => {
  const narrator = createNarrator({ model: new OfflineLanguageModel('offline-narrator') });

  it('streams several deltas and reports the model and token counts', async () => {
    const { deltas, info } = await narrate(narrator, englishTurn());
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toMatch(/^You .*try to climb up to the lamp room\./);
    expect(info.modelId).toBe('offline-narrator');
    expect(info.inputTokens).toBeGreaterThan(50);
    expect(info.outputTokens).toBeGreaterThan(5);
  });

  it('reports the context it sent: messages, sections and total within the budget', async () => {
    const history = Array.from({ length: 40 }, (_, i) => ({ turnNo: i + 1, input: 'look', action: 'do' as const, response: 'The wind howls. '.repeat(20), storyText: '' }));
    const small = createNarrator({ model: new OfflineLanguageModel('offline-narrator'), contextBudgetTokens: 1500 });
    const { request } = (await narrate(small, englishTurn('I climb', 'do', { history }))).info;
    expect(request!.totalTokens).toBeLessThanOrEqual(1500);
    expect(request!.sections.find((s) => s.name === 'history')).toMatchObject({ trimmed: true });
    const messages = request!.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[1]!.content).toContain('<player_input kind="do">\nI climb\n</player_input>');
  });

  it('is deterministic', async () => {
    const a = (await narrate(narrator, englishTurn())).deltas;
    const b = (await narrate(narrator, englishTurn())).deltas;
    expect(b).toEqual(a);
  });

  it('narrates a Chinese story in Chinese', async () => {
    const text = (await narrate(narrator, chineseTurn())).deltas.join('');
    expect(cjkRatio(text)).toBeGreaterThan(0.9);
  });

  it('surfaces an abort as the abort reason, and forwards nothing after it', async () => {
    const controller = new AbortController();
    const deltas: string[] = [];
    const done = narrator.narrate(englishTurn(), {
      signal: controller.signal,
      onText: (d) => {
        deltas.push(d);
        controller.abort(new Error('session closed'));
      },
    });
    await expect(done).rejects.toThrow('session closed');
    expect(deltas).toHaveLength(1);
  });

  it('streams any AI SDK language model through its doStream, without streamText', async () => {
    const model = new MockLanguageModelV3({
      doStream: async () => ({
        stream: new ReadableStream({
          start(c) {
            c.enqueue({ type: 'response-metadata', modelId: 'mock-7' });
            for (const delta of ['The ', 'rain.']) c.enqueue({ type: 'text-delta', id: 't', delta });
            c.enqueue({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 2, text: 2, reasoning: 0 } } });
            c.close();
          },
        }),
      }),
    });
    const { deltas, info } = await narrate(createNarrator({ model }), englishTurn());
    expect(deltas).toEqual(['The ', 'rain.']);
    expect(info).toMatchObject({ modelId: 'mock-7', inputTokens: 12, outputTokens: 2 });
    expect(model.doStreamCalls[0]!.prompt.map((m) => m.role)).toEqual(['system', 'user']);
  });
});

/** An offline model whose endpoint is "down", to check error mapping without a network. */
class UnreachableModel extends OfflineLanguageModel {
  override async stream(): Promise<never> {
    throw new APICallError({ message: 'Service Unavailable', url: 'http://llm.invalid/v1', requestBodyValues: {}, statusCode: 503, isRetryable: true });
  }
}

describe('createNarrator errors', () => {
  it('turns a failing model into a retryable model_unavailable', async () => {
    await expect(narrate(createNarrator({ model: new UnreachableModel() }), englishTurn())).rejects.toMatchObject({ code: 'model_unavailable', retryable: true });
  });
});
