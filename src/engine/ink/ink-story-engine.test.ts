import { describe, expect, it } from 'vitest';
import { InkStoryEngine } from './ink-story-engine.js';
import { compileInk } from './compile-ink.js';
import type { StoryVersion } from '../../domain/types.js';

const SOURCE = `# title: The Vault
# writable: gold, lamp_lit
VAR gold = 2
VAR lamp_lit = false
VAR name = "Ada"
-> hall
=== hall ===
A cold hall. # scene: hall # mood: tense
+ [Light the lamp] -> lamp
+ {gold > 3} [Bribe the guard] -> bribe
+ [Leave the vault] -> out
=== lamp ===
~ lamp_lit = true
The lamp flares.
-> hall
=== bribe ===
The guard pockets {gold} coins.
-> END
=== out ===
You leave, {name}.
-> END
`;

function compileOk(engine: InkStoryEngine, source = SOURCE): StoryVersion {
  const out = compileInk(source);
  if (!out.ok) throw new Error(JSON.stringify(out.errors));
  return { storyId: 's1', hash: out.hash, compiledJson: out.compiledJson, writableVariables: out.writableVariables };
}

describe('InkStoryEngine', () => {
  it('compiles, reads the header and types writable variables', async () => {
    const out = await new InkStoryEngine().compile(SOURCE);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.title).toBe('The Vault');
    expect(out.writableVariables).toEqual([
      { name: 'gold', type: 'int' },
      { name: 'lamp_lit', type: 'bool' },
    ]);
    expect(out.hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('returns errors with line numbers for malformed ink, never throws', async () => {
    const bad = 'Hello\n-> start\n=== start ===\n{unclosed\n* [Go] -> nowhere\n';
    const out = await new InkStoryEngine().compile(bad);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors.length).toBeGreaterThan(0);
    for (const e of out.errors) {
      expect(e.line).toBeGreaterThan(0);
      expect(e.message).not.toMatch(/Compilation failed/);
      expect(e.message).not.toMatch(/\n\s+at /); // no stack traces
    }
  });

  it('rejects a writable tag naming an undeclared variable', async () => {
    const out = await new InkStoryEngine().compile(SOURCE.replace('# writable: gold, lamp_lit', '# writable: gold, mana'));
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors[0]!.message).toMatch(/mana/);
  });

  it('runs the opening with every line tag, choices and variables', () => {
    const engine = new InkStoryEngine();
    const start = engine.open(compileOk(engine)).start();
    expect(start.view.text).toBe('A cold hall.');
    expect(start.view.tags).toEqual(['scene: hall', 'mood: tense']);
    expect(start.view.choices.map((c) => c.text)).toEqual(['Light the lamp', 'Leave the vault']);
    expect(start.view.variables).toEqual({ gold: 2, lamp_lit: false, name: 'Ada' });
    expect(start.view.ended).toBe(false);
  });

  it('advances by choice and variable updates, statelessly between calls', () => {
    const engine = new InkStoryEngine();
    const runtime = engine.open(compileOk(engine));
    const start = runtime.start();
    // ink evaluates choice conditions when it reaches them: a write without a choice keeps the
    // current offer, and the next pass through the hall sees the new gold.
    const same = runtime.advance(start.state, { choiceIndex: null, variableUpdates: [{ name: 'gold', value: 5 }] });
    expect(same.view.choices).toEqual(start.view.choices);
    expect(same.view.variables.gold).toBe(5);
    const rich = runtime.advance(same.state, { choiceIndex: 0, variableUpdates: [] });
    expect(rich.view.text).toContain('The lamp flares.');
    expect(rich.view.variables.lamp_lit).toBe(true);
    expect(rich.view.choices.map((c) => c.text)).toContain('Bribe the guard');
    const bribeIndex = rich.view.choices.find((c) => c.text === 'Bribe the guard')!.index;
    const end = runtime.advance(rich.state, { choiceIndex: bribeIndex, variableUpdates: [] });
    expect(end.view.text).toBe('The guard pockets 5 coins.');
    expect(end.view.ended).toBe(true);
    // The original state is untouched by later calls: replaying it gives the same view.
    expect(runtime.view(start.state).choices).toEqual(start.view.choices);
  });

  it('refuses a choice that is not on offer and a variable that is not writable', () => {
    const engine = new InkStoryEngine();
    const runtime = engine.open(compileOk(engine));
    const { state } = runtime.start();
    expect(() => runtime.advance(state, { choiceIndex: 7, variableUpdates: [] })).toThrow(/not on offer/);
    expect(() => runtime.advance(state, { choiceIndex: null, variableUpdates: [{ name: 'name', value: 'x' }] })).toThrow(/not writable/);
  });

  it('keeps an LRU of loaded stories', () => {
    const engine = new InkStoryEngine({ cacheSize: 1 });
    const a = compileOk(engine);
    const b = { ...compileOk(engine, SOURCE.replace('A cold hall.', 'A warm hall.')), storyId: 's2' };
    engine.open(a);
    engine.open(a);
    expect(engine.loads).toBe(1);
    expect(engine.cached('s1', a.hash)).toBeDefined();
    engine.open(b);
    expect(engine.cached('s1', a.hash)).toBeUndefined();
    expect(engine.loads).toBe(2);
  });
});
