import { Compiler } from 'inkjs/compiler/Compiler';
import { Story } from 'inkjs/engine/Story';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inkSeed, recordingOf, TurnRecorder, withoutSecrets, type RecordingInput } from './turn-recording.js';

function savedState(source: string, seed: number): string {
  const story = new Story(new Compiler(source).Compile().ToJson()!);
  story.state.storySeed = seed;
  story.ContinueMaximally();
  return story.state.ToJson();
}

describe('withoutSecrets', () => {
  const SECRET = /^(api_?key|key|keys|token|access_?token|refresh_?token|secret|password|authorization|cookie|sealed)$/i;
  /** What it replaced: a JSON round trip whose reviver drops secret-named, non-null properties. */
  const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v), (k, x: unknown) => (k !== '' && SECRET.test(k) && x !== null ? undefined : x)) as unknown;

  it('drops secret-named properties at any depth, keeps null ones and everything else', () => {
    const at = new Date('2026-12-05T06:00:00Z');
    const value = { model: 'gpt', apiKey: 'sk-1', headers: { Authorization: 'Bearer x', accept: 'json' }, calls: [{ token: 't', n: 1 }, null], key: null, at, skip: undefined };
    expect(withoutSecrets(value)).toEqual({ model: 'gpt', headers: { accept: 'json' }, calls: [{ n: 1 }, null], key: null, at: '2026-12-05T06:00:00.000Z' });
  });

  it('property: serializes exactly as the JSON round trip with the reviver did', () => {
    const secretKey = fc.constantFrom('apiKey', 'api_key', 'TOKEN', 'password', 'cookie', 'sealed', 'keys', 'refresh_token');
    const key = fc.oneof(fc.string({ maxLength: 8 }), secretKey, fc.constantFrom('钥匙', 'toJSON', '__proto__'));
    const leaf = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant(undefined), fc.date({ noInvalidDate: true }), fc.constant(Number.NaN));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 5 })),
    }));
    fc.assert(fc.property(fc.dictionary(key, tree, { maxKeys: 6 }), (v) => {
      expect(JSON.stringify(withoutSecrets(v))).toBe(JSON.stringify(roundTrip(v)));
    }), { numRuns: 500 });
  });
});

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
