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

  it('turns streaming at once send on one shared tick, each still at most once per window', () => {
    const clock = () => now;
    const sent: string[][] = [];
    const tick = () => sent.push([]);
    const a = new DeltaCoalescer(50, (t) => sent.at(-1)!.push(`a:${t}`), clock);
    const b = new DeltaCoalescer(50, (t) => sent.at(-1)!.push(`b:${t}`), clock);
    tick();
    a.push('1');
    advance(20);
    b.push('1');
    a.push('2');
    b.push('2');
    expect(sent).toEqual([['a:1', 'b:1']]);
    // a may send again at 1050, a multiple of the window; b at 1070, so it waits for 1100.
    tick();
    advance(30);
    expect(sent.at(-1)).toEqual(['a:2']);
    a.push('3');
    tick();
    advance(49);
    expect(sent.at(-1)).toEqual([]);
    // From then on they are due on the same ticks, and go out in the same callback.
    advance(1);
    expect(sent.at(-1)).toEqual(['b:2', 'a:3']);
    // With nothing waiting, no tick is due.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('loses, reorders and repeats nothing, and keeps a window between sends, whatever the timing (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 40 }))), fc.integer({ min: 0, max: 50 }), (steps, window) => {
        const out: string[] = [];
        const at: number[] = [];
        const c = new DeltaCoalescer(
          window,
          (t) => {
            out.push(t);
            at.push(now);
          },
          () => now,
        );
        for (const [text, gap] of steps) {
          advance(gap);
          c.push(text);
        }
        const beforeFlush = at.length;
        c.flush();
        expect(out.join('')).toBe(steps.map(([t]) => t).join(''));
        expect(out.every((t) => t.length > 0)).toBe(true);
        // Every send but the final flush (the stream's end) came at least a window after the last.
        for (let i = 1; i < beforeFlush; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(window - 1);
      }),
    );
  });
});
