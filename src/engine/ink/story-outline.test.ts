import { describe, expect, it } from 'vitest';
import { compileInk } from './compile-ink.js';
import { InkStoryRuntime } from './ink-story-runtime.js';

const SOURCE = `-> start
=== start ===
Hello.
* [Go left] -> left
* [Go right] -> right.deep
=== left ===
- (top) Left top.
* [Rest] -> sunny
= a
Left a. -> END
=== right ===
Right.
-> deep
= deep
Deep {double(2)}.
* [Down] -> dark
=== sunny ===
# ending: sunny
Sun. -> END
=== dark ===
Dark.
Darker. -> END
=== function double(x) ===
~ return x * 2
=== lore ===
# card: Lore
Old lore.
-> END
`;

function runtime(): InkStoryRuntime {
  const out = compileInk(SOURCE);
  if (!out.ok) throw new Error(JSON.stringify(out.errors));
  return new InkStoryRuntime({ storyId: 's', hash: out.hash, compiledJson: out.compiledJson, writableVariables: out.writableVariables });
}

describe('story outline and positions', () => {
  it('lists knots and stitches, not functions, card knots or labelled gathers', () => {
    expect(runtime().outline).toMatchObject({ knots: ['start', 'left', 'right', 'sunny', 'dark'], stitches: ['left.a', 'right.deep'] });
  });

  it('a view says where its choices are written, and where the story ended', () => {
    const r = runtime();
    const opening = r.start();
    expect(opening.view.position).toBe('start');
    const deep = r.advance(opening.state, { choiceIndex: 1, variableUpdates: [] });
    expect(deep.view.position).toBe('right.deep');
    const end = r.advance(deep.state, { choiceIndex: 0, variableUpdates: [] });
    expect(end.view).toMatchObject({ ended: true, position: 'dark' });
    const stay = r.advance(opening.state, { choiceIndex: null, variableUpdates: [] });
    expect(stay.view.position).toBe('start');
  });
});
