/**
 * A story that never draws a random number opens the same way for every session: its opening is
 * run once and copied, each copy with a seed of its own. One that does draw is run every time.
 */
import { Story } from 'inkjs/compiler/Compiler';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileInk } from './compile-ink.js';
import { InkStoryRuntime } from './ink-story-runtime.js';

function runtimeOf(source: string): InkStoryRuntime {
  const out = compileInk(source);
  if (!out.ok) throw new Error(JSON.stringify(out.errors));
  return new InkStoryRuntime({ storyId: 's', hash: out.hash, compiledJson: out.compiledJson, writableVariables: out.writableVariables });
}

const seedOf = (state: string) => Number(/"storySeed":(\d+)/.exec(state)![1]);
const withoutSeed = (state: string) => state.replace(/"storySeed":\d+/, '');

describe('story openings', () => {
  afterEach(() => vi.restoreAllMocks());
  const PLAIN = `VAR share = 2.5
VAR name = "say \\"storySeed\\":7"
The ferry waits.
* [Board] Each of you pays {7 / share}.
  -> END
`;

  it('copies the opening of a story without randomness, with seeds of their own, and plays on from a copy as from a run', () => {
    const runtime = runtimeOf(PLAIN);
    const resets = vi.spyOn(Story.prototype, 'ResetState');
    const starts = Array.from({ length: 40 }, () => runtime.start());
    // Run once; the other 39 are copies.
    expect(resets).toHaveBeenCalledTimes(1);
    const first = starts[0]!;
    expect(first.view.text).toBe('The ferry waits.');
    for (const s of starts.slice(1)) {
      expect(withoutSeed(s.state)).toBe(withoutSeed(first.state));
      expect(s.view).toEqual(first.view);
      expect(s.view).not.toBe(first.view);
      // Exactly one seed, the top-level one: the string variable's escaped text is left alone.
      expect(s.state.match(/"storySeed":\d+/g)).toHaveLength(1);
      expect(seedOf(s.state)).toBeGreaterThanOrEqual(0);
      expect(seedOf(s.state)).toBeLessThan(100);
    }
    expect(new Set(starts.map((s) => seedOf(s.state))).size).toBeGreaterThan(1);
    // A caller changing its copy changes no one else's.
    starts[1]!.view.choices.length = 0;
    expect(runtime.start().view.choices).toHaveLength(1);
    // The copy's variables are the opening's: 7 / 2.5.
    const played = runtime.advance(starts[5]!.state, { choiceIndex: 0, variableUpdates: [] });
    expect(played.view.text).toBe('Each of you pays 2.8.');
    expect(played.view.ended).toBe(true);
  });

  it('runs the opening every time when the story draws random numbers, in any of ink\'s ways', () => {
    const shuffled = runtimeOf(`{~North|South|East|West|Up|Down} wind.\n-> END\n`);
    const resets = vi.spyOn(Story.prototype, 'ResetState');
    const openings = new Set(Array.from({ length: 40 }, () => shuffled.start().view.text));
    expect(openings.size).toBeGreaterThan(1);
    expect(resets).toHaveBeenCalledTimes(40);
    const dice = runtimeOf(`You roll {RANDOM(1, 1000)}.\n-> END\n`);
    expect(new Set(Array.from({ length: 40 }, () => dice.start().view.text)).size).toBeGreaterThan(1);
    // Drawn later, not in the opening: the opening is still run each time (its seed matters later).
    const later = runtimeOf(`Ready.\n* [Roll] You roll {RANDOM(1, 1000)}.\n  -> END\n`);
    const rolls = new Set(Array.from({ length: 40 }, () => later.advance(later.start().state, { choiceIndex: 0, variableUpdates: [] }).view.text));
    expect(rolls.size).toBeGreaterThan(1);
  });
});
