import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeltaCoalescer } from './delta-coalescer.js';

describe('DeltaCoalescer', () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 1000;
  });
  afterEach(() => vi.useRealTimers());
  const advance = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('sends the first delta at once, then at most one merged delta per window; flush sends the rest', () => {
    const out: string[] = [];
    const c = new DeltaCoalescer(25, (t) => out.push(t), () => now);
    c.push('Rain ');
    expect(out).toEqual(['Rain ']);
    c.push('on ');
    advance(5);
    c.push('the ');
    expect(out).toEqual(['Rain ']);
    advance(20);
    expect(out).toEqual(['Rain ', 'on the ']);
    // A delta after a quiet spell longer than the window goes out at once.
    advance(100);
    c.push('glass');
    expect(out).toEqual(['Rain ', 'on the ', 'glass']);
    c.push('.');
    c.flush();
    expect(out).toEqual(['Rain ', 'on the ', 'glass', '.']);
    advance(100);
    expect(out).toHaveLength(4);
  });

  it('a window of 0 sends every delta as it comes; discard drops what waits', () => {
    const out: string[] = [];
    const each = new DeltaCoalescer(0, (t) => out.push(t), () => now);
    for (const t of ['a', 'b', 'c']) each.push(t);
    expect(out).toEqual(['a', 'b', 'c']);
    const merged: string[] = [];
    const c = new DeltaCoalescer(25, (t) => merged.push(t), () => now);
    c.push('x');
    c.push('y');
    c.discard();
    advance(50);
    expect(merged).toEqual(['x']);
  });

  it('loses, reorders and repeats nothing, whatever the timing (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 40 }))), fc.integer({ min: 0, max: 50 }), (steps, window) => {
        const out: string[] = [];
        const c = new DeltaCoalescer(window, (t) => out.push(t), () => now);
        for (const [text, gap] of steps) {
          advance(gap);
          c.push(text);
        }
        c.flush();
        expect(out.join('')).toBe(steps.map(([t]) => t).join(''));
        expect(out.every((t) => t.length > 0)).toBe(true);
      }),
    );
  });
});
