import { describe, expect, it } from 'vitest';
import { compileInk } from './compile-ink.js';
import { InkStoryRuntime } from './ink-story-runtime.js';

const withFallback = `EXTERNAL roll(sides)
EXTERNAL greet(name)
The die shows {roll(6)}. {greet("Ada")}
* [Again] -> END

=== function roll(sides) ===
~ return sides

=== function greet(name) ===
Hello, {name}!
`;

describe('EXTERNAL functions', () => {
  it('run their ink fallbacks, as in Inky', () => {
    const compiled = compileInk(withFallback);
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    const runtime = new InkStoryRuntime({ storyId: 's', hash: compiled.hash, compiledJson: compiled.compiledJson, writableVariables: [] });
    expect(runtime.start().view.text).toContain('The die shows 6. Hello, Ada!');
  });

  it('without a fallback are refused, each named with the line of its declaration', () => {
    const compiled = compileInk(`VAR x = 1\nEXTERNAL roll(sides)\nEXTERNAL unused()\n  EXTERNAL   play_sound(file)\nRolled {roll(6)}. {play_sound("bell.ogg")}\n* [Go] -> END\n`);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    // Declared but never called: nothing needs a binding, so it is not reported.
    expect(compiled.unboundExternals).toEqual([
      { name: 'roll', line: 2 },
      { name: 'play_sound', line: 4 },
    ]);
  });
});
