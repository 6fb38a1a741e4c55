import { describe, expect, it } from 'vitest';
import { choicePointsOf, countEndings, coverageOf, endingTag } from './story-analytics.js';

describe('story analytics math', () => {
  it('names an ending by its last `# ending:` tag, else by where the story ended', () => {
    expect(endingTag(['mood: calm', 'Ending: The Sea ', 'ending: harbour'])).toBe('harbour');
    expect(endingTag(['mood: calm'])).toBeNull();
    expect(
      countEndings([
        { position: 'shore', tags: ['ending: sea'], sessions: 2 },
        { position: 'cliff', tags: ['ending: sea'], sessions: 1 },
        { position: 'tower.top', tags: [], sessions: 4 },
        { position: null, tags: [], sessions: 1 },
      ]),
    ).toEqual([
      { ending: 'tower.top', position: 'tower.top', sessions: 4 },
      { ending: 'sea', position: 'shore', sessions: 3 },
      { ending: '(unknown)', position: null, sessions: 1 },
    ]);
  });

  it('adds up a choice point over different offers, matching choices by text; "no choice" last', () => {
    const points = choicePointsOf([
      { position: 'gate', offered: [{ index: 0, text: 'Knock' }, { index: 1, text: 'Leave' }], chosen: 1, turns: 2 },
      // A conditional choice was on offer too: the same texts at other indices still add up.
      { position: 'gate', offered: [{ index: 0, text: 'Pick the lock' }, { index: 1, text: 'Knock' }, { index: 2, text: 'Leave' }], chosen: 0, turns: 1 },
      { position: 'gate', offered: [{ index: 0, text: 'Knock' }, { index: 1, text: 'Leave' }], chosen: null, turns: 1 },
    ]);
    expect(points).toEqual([
      {
        position: 'gate',
        turns: 4,
        choices: [
          { text: 'Knock', taken: 0, share: 0 },
          { text: 'Leave', taken: 2, share: 0.5 },
          { text: 'Pick the lock', taken: 1, share: 0.25 },
          { text: null, taken: 1, share: 0.25 },
        ],
      },
    ]);
  });

  it('covers every knot and stitch of the outline; places of other versions are listed apart', () => {
    const coverage = coverageOf({ knots: ['gate', 'yard', 'cellar'], stitches: ['yard.well'] }, [
      { path: '', visits: 3, sessions: 3 },
      { path: 'gate', visits: 5, sessions: 3 },
      { path: 'yard', visits: 1, sessions: 1 },
      { path: 'attic', visits: 2, sessions: 1 },
    ]);
    expect(coverage).toEqual({
      places: [
        { path: 'gate', kind: 'knot', visits: 5, sessions: 3, inStory: true },
        { path: 'yard', kind: 'knot', visits: 1, sessions: 1, inStory: true },
        { path: 'cellar', kind: 'knot', visits: 0, sessions: 0, inStory: true },
        { path: 'yard.well', kind: 'stitch', visits: 0, sessions: 0, inStory: true },
        { path: 'attic', kind: 'knot', visits: 2, sessions: 1, inStory: false },
      ],
      knots: 3,
      knotsNeverReached: 1,
      neverReachedShare: 0.333333,
    });
  });
});
