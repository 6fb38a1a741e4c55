/**
 * The benchmark's split of a turn's overhead (bench/lib/turn-phases.ts): wrong arithmetic here
 * would send whoever reads bench/README.md after the wrong phase.
 */
import { describe, expect, it } from 'vitest';
import { overallOverhead, wavePhases, type TurnTrace } from '../bench/lib/turn-phases.js';

/** A turn posted at `at`: 2 ms to its 202, the narrator 10 ms later for 490, the judge 5 ms after that for 490, completed 7 ms after the judge. */
function turn(turnNo: number, at: number, extra = 0): TurnTrace {
  const narrator = { receivedAt: at + 10 + extra, endedAt: at + 500 + extra };
  const judge = { receivedAt: narrator.endedAt + 5, endedAt: narrator.endedAt + 495 };
  return { turn: turnNo, postedAt: at, acceptedAt: at + 2, completedAt: judge.endedAt + 7, narrator, judge };
}

describe('turn phases', () => {
  it('splits overhead into before, between and after the model calls, per turn index', () => {
    // The second player's first turn reached the model 40 ms later (a queue in the first wave).
    const traces = [turn(1, 0), turn(1, 0, 40), turn(2, 2000), turn(2, 2100)];
    const [first, second] = wavePhases(traces);
    expect(first).toMatchObject({ turn: 1, turns: 2 });
    expect(first!.beforeModelMs).toMatchObject({ n: 2, p50: 10, max: 50 });
    expect(first!.betweenCallsMs).toMatchObject({ p50: 5, max: 5 });
    expect(first!.afterModelMs).toMatchObject({ p50: 7, max: 7 });
    expect(first!.acceptedMs).toMatchObject({ p50: 2, max: 2 });
    // Overhead is the three phases together: latency less the fake's own 980 ms.
    expect(first!.overheadMs).toMatchObject({ p50: 22, max: 62 });
    expect(second).toMatchObject({ turn: 2, turns: 2, overheadMs: { p50: 22, max: 22 } });
    expect(overallOverhead(traces)).toMatchObject({ n: 4, max: 62 });
  });

  it('counts the model calls as they ran, not as they were paced: a late fake is not our overhead', () => {
    const late = turn(1, 0);
    late.judge = { receivedAt: late.judge!.receivedAt, endedAt: late.judge!.endedAt + 30 };
    late.completedAt += 30;
    expect(wavePhases([late])[0]!.overheadMs).toMatchObject({ p50: 22 });
  });

  it('leaves out turns whose calls it could not match, and orders waves by turn index', () => {
    const unmatched: TurnTrace = { turn: 1, postedAt: 0, acceptedAt: 1, completedAt: 1500 };
    const phases = wavePhases([turn(3, 0), unmatched, turn(2, 0)]);
    expect(phases.map((w) => w.turn)).toEqual([2, 3]);
    expect(overallOverhead([unmatched])).toBeNull();
  });
});
