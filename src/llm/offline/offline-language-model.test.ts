import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cjkRatio } from '../../shared/text.js';
import { chineseTurn, englishTurn } from '../__fixtures__/turn-context.js';
import type { TurnContext } from '../../domain/ports/narrator.js';
import { offlineProviderOptions } from './offline-call.js';
import { createRng } from './offline-hash.js';
import { OfflineLanguageModel } from './offline-language-model.js';
import { chunkText, toSecondPerson, toSecondPersonZh } from './offline-narration.js';

function callOptions(context: TurnContext, extra: Partial<LanguageModelV3CallOptions> = {}): LanguageModelV3CallOptions {
  return {
    prompt: [{ role: 'user', content: [{ type: 'text', text: 'ignored when provider options are present' }] }],
    providerOptions: offlineProviderOptions('narrator', context),
    ...extra,
  };
}

async function readParts(model: OfflineLanguageModel, options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamPart[]> {
  const { stream } = await model.doStream(options);
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const p of stream) parts.push(p);
  return parts;
}

function deltas(parts: LanguageModelV3StreamPart[]): string[] {
  return parts.flatMap((p) => (p.type === 'text-delta' ? [p.delta] : []));
}

describe('OfflineLanguageModel as narrator', () => {
  const model = new OfflineLanguageModel('offline-narrator');

  it('streams text-start, several deltas, text-end and finish with usage', async () => {
    const parts = await readParts(model, callOptions(englishTurn()));
    const types = parts.map((p) => p.type);
    expect(types[0]).toBe('stream-start');
    expect(types.filter((t) => t === 'text-delta').length).toBeGreaterThan(5);
    expect(types.slice(-2)).toEqual(['text-end', 'finish']);
    const finish = parts.at(-1);
    expect(finish?.type === 'finish' && finish.usage.outputTokens.total).toBeGreaterThan(5);
  });

  it('tells the player what they try, echoes the story and hints at the choices', async () => {
    const text = deltas(await readParts(model, callOptions(englishTurn()))).join('');
    expect(text).toMatch(/try to climb up to the lamp room\./);
    expect(text).toMatch(/Rain hammers the windows|The keeper hands you a lantern/);
    expect(text).toMatch(/climb the stairs to the lamp room; or return to the harbour\./);
  });

  it('is deterministic for the same turn and varies across turns', async () => {
    const a = deltas(await readParts(model, callOptions(englishTurn())));
    const b = deltas(await readParts(model, callOptions(englishTurn())));
    expect(b).toEqual(a);
    const texts = new Set<string>();
    for (const input of ['open the door', 'look around', 'wait', 'sing softly', 'call out', 'sit down']) {
      texts.add(deltas(await readParts(model, callOptions(englishTurn(input)))).join('').replace(input, ''));
    }
    expect(texts.size).toBeGreaterThan(1);
  });

  it('writes Chinese for a Chinese story, in 1-3 character chunks', async () => {
    const d = deltas(await readParts(model, callOptions(chineseTurn())));
    const text = d.join('');
    expect(cjkRatio(text)).toBeGreaterThan(0.9);
    expect(text).toContain('试着爬上楼梯去灯室');
    expect(text).toContain('爬上楼梯到灯室；或者回到码头');
    expect(Math.max(...d.map((x) => Array.from(x).length))).toBeLessThanOrEqual(3);
  });

  it('quotes speech, keeps authorial text and moves on for continue', async () => {
    const say = deltas(await readParts(model, callOptions(englishTurn('Who lit the lamp?', 'say')))).join('');
    expect(say).toMatch(/^You (?:say|speak up|say aloud): "Who lit the lamp\?"/);
    const story = deltas(await readParts(model, callOptions(englishTurn('A door slams below.', 'story')))).join('');
    expect(story.startsWith('A door slams below.')).toBe(true);
    const cont = deltas(await readParts(model, callOptions(englishTurn('', 'continue')))).join('');
    expect(cont).toMatch(/^(?:You go on\.|The story moves on\.|A moment passes)/);
    const zhSay = deltas(await readParts(model, callOptions(chineseTurn('昨晚是谁点的灯？', 'say')))).join('');
    expect(zhSay).toMatch(/^你(?:说|开口道|说道)：“昨晚是谁点的灯？”/);
  });

  it('honours maxOutputTokens with finish reason length', async () => {
    const parts = await readParts(model, callOptions(englishTurn(), { maxOutputTokens: 5 }));
    const finish = parts.at(-1);
    expect(finish?.type === 'finish' && finish.finishReason.unified).toBe('length');
    expect(deltas(parts).join('').length).toBeLessThan(30);
  });

  it('falls back to the last user message without provider options', async () => {
    const result = await model.doGenerate({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'I open the door.' }] }] });
    expect(result.content[0]?.type === 'text' && result.content[0].text).toMatch(/try to open the door\./);
  });

  it('stops with the abort reason when aborted', async () => {
    const controller = new AbortController();
    const { stream } = await model.doStream(callOptions(englishTurn(), { abortSignal: controller.signal }));
    const reader = stream.getReader();
    await reader.read();
    controller.abort(new Error('player left'));
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) break;
      })(),
    ).rejects.toThrow('player left');
  });
});

describe('narration helpers', () => {
  it('turns first-person actions into second person', () => {
    expect(toSecondPerson('I want to grab my lantern.')).toBe('grab your lantern');
    expect(toSecondPerson("I'll Climb the stairs myself!")).toBe('climb the stairs yourself');
    expect(toSecondPerson('Open the door')).toBe('open the door');
    expect(toSecondPersonZh('我要拿起我的灯。')).toBe('拿起你的灯');
  });

  it('chunks always join back to the exact text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.integer(), (text, seed) => {
        expect(chunkText(text, createRng(seed)).join('')).toBe(text);
      }),
    );
  });
});
