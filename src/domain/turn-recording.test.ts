import { Compiler } from 'inkjs/compiler/Compiler';
import { Story } from 'inkjs/engine/Story';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inkSeed, recordingOf, TurnRecorder, type RecordingInput } from './turn-recording.js';

function savedState(source: string, seed: number): string {
  const story = new Story(new Compiler(source).Compile().ToJson()!);
  story.state.storySeed = seed;
  story.ContinueMaximally();
  return story.state.ToJson();
}

describe('inkSeed', () => {
  it('reads the seed inkjs saved, also when a story variable is called storySeed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fc.integer({ min: -5, max: 5 }), (seed, variable) => {
        const state = savedState(`VAR storySeed = ${variable}\nHello.\n-> END`, seed);
        expect(inkSeed(state)).toBe(seed);
        expect(inkSeed(state)).toBe((JSON.parse(state) as { storySeed: number }).storySeed);
      }),
      { numRuns: 20 },
    );
  });

  it('falls back to reading the state whole, and gives null for no seed or no JSON', () => {
    expect(inkSeed(JSON.stringify({ storySeed: 7, previousRandom: 0 }))).toBe(7);
    expect(inkSeed('{"flows":{},"storySeed":"x"}')).toBeNull();
    expect(inkSeed('{"flows":{}}')).toBeNull();
    expect(inkSeed('not json')).toBeNull();
  });
});

describe('recordingOf', () => {
  it('keeps what a re-run needs of each model call but not the messages sent, which the trace keeps', async () => {
    const recorder = new TurnRecorder();
    const request = { messages: [{ role: 'user', content: 'the whole prompt' }], sections: [], totalTokens: 3 };
    const roles = recorder.wrap({
      narrator: { narrate: async (_c, opts) => (opts.onText('Hi.'), { modelId: 'n', inputTokens: 3, outputTokens: 1, request }) },
      judge: { judge: async () => ({ raw: { choiceIndex: null }, info: { modelId: 'j', inputTokens: 5, request, apiKey: 'sk-secret' } as never }) },
      embedder: { modelId: 'e', dimensions: 2, embed: async (texts: string[]) => texts.map(() => [0, 1]) },
    });
    await roles.narrator.narrate({} as never, { onText: () => undefined });
    await (roles.judge.judge as (...a: unknown[]) => Promise<unknown>)({}, 'Hi.', {});
    const input = {
      recorder,
      turnNo: 1,
      input: 'look',
      action: 'do',
      session: { storyId: 's', storyVersion: 'v', inkState: '{"storySeed":3}', view: {} as never, turnNo: 0 },
      context: {} as never,
      settings: { historyTurns: 6, memoryTopK: 5 },
      embedder: 'e@2',
      longTermMemory: false,
      outcome: { narration: 'Hi.', decision: {} as never, memories: [], inkState: '{}', view: {} as never },
    } satisfies RecordingInput;
    const recording = recordingOf(input);
    expect(recording.narrator).toEqual({ deltas: ['Hi.'], info: { modelId: 'n', inputTokens: 3, outputTokens: 1 } });
    expect(recording.judge).toEqual([{ raw: { choiceIndex: null }, info: { modelId: 'j', inputTokens: 5 } }]);
    expect(recording.before.seed).toBe(3);
    expect(JSON.stringify(recording)).not.toContain('the whole prompt');
  });
});
