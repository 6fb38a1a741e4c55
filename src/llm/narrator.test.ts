import type { LanguageModelV3CallOptions, LanguageModelV3StreamResult } from '@ai-sdk/provider';
import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { cjkRatio } from '../shared/text.js';
import { chineseTurn, englishTurn } from './__fixtures__/turn-context.js';
import { createNarrator } from './narrator.js';
import { OfflineLanguageModel } from './offline/offline-language-model.js';

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of stream) out.push(d);
  return out;
}

describe('createNarrator with the offline model', () => {
  const narrator = createNarrator({ model: new OfflineLanguageModel('offline-narrator') });

  it('streams several deltas and reports the model and token counts', async () => {
    const { textStream, finished } = narrator.narrate(englishTurn());
    const deltas = await collect(textStream);
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toMatch(/^You .*try to climb up to the lamp room\./);
    const info = await finished;
    expect(info.modelId).toBe('offline-narrator');
    expect(info.inputTokens).toBeGreaterThan(50);
    expect(info.outputTokens).toBeGreaterThan(5);
  });

  it('reports the context it sent: messages, sections and total within the budget', async () => {
    const history = Array.from({ length: 40 }, (_, i) => ({ turnNo: i + 1, input: 'look', action: 'do' as const, response: 'The wind howls. '.repeat(20), storyText: '' }));
    const small = createNarrator({ model: new OfflineLanguageModel('offline-narrator'), contextBudgetTokens: 1500 });
    const { textStream, finished } = small.narrate(englishTurn('I climb', 'do', { history }));
    await collect(textStream);
    const { request } = await finished;
    expect(request!.totalTokens).toBeLessThanOrEqual(1500);
    expect(request!.sections.find((s) => s.name === 'history')).toMatchObject({ trimmed: true });
    const messages = request!.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[1]!.content).toContain('<player_input kind="do">\nI climb\n</player_input>');
  });

  it('is deterministic', async () => {
    const a = await collect(narrator.narrate(englishTurn()).textStream);
    const b = await collect(narrator.narrate(englishTurn()).textStream);
    expect(b).toEqual(a);
  });

  it('narrates a Chinese story in Chinese', async () => {
    const text = (await collect(narrator.narrate(chineseTurn()).textStream)).join('');
    expect(cjkRatio(text)).toBeGreaterThan(0.9);
  });

  it('reports partial usage when the reader stops early', async () => {
    const { textStream, finished } = narrator.narrate(englishTurn());
    for await (const _ of textStream) break;
    await expect(finished).resolves.toMatchObject({ modelId: 'offline-narrator' });
  });

  it('surfaces an abort as the abort reason', async () => {
    const controller = new AbortController();
    const { textStream, finished } = narrator.narrate(englishTurn(), { signal: controller.signal });
    const read = (async () => {
      for await (const _ of textStream) controller.abort(new Error('session closed'));
    })();
    await expect(read).rejects.toThrow('session closed');
    await expect(finished).rejects.toThrow('session closed');
  });
});

/** An offline model whose endpoint is "down", to check error mapping without a network. */
class UnreachableModel extends OfflineLanguageModel {
  override async doStream(_options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    throw new APICallError({ message: 'Service Unavailable', url: 'http://llm.invalid/v1', requestBodyValues: {}, statusCode: 503, isRetryable: true });
  }
}

describe('createNarrator errors', () => {
  it('turns a failing model into a retryable model_unavailable on both stream and finished', async () => {
    const { textStream, finished } = createNarrator({ model: new UnreachableModel() }).narrate(englishTurn());
    await expect(collect(textStream)).rejects.toMatchObject({ code: 'model_unavailable', retryable: true });
    await expect(finished).rejects.toMatchObject({ code: 'model_unavailable' });
  });
});
