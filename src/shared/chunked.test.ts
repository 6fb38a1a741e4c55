import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunked } from './chunked.js';

describe('chunked', () => {
  it('splits into runs of the size, in order, the last possibly shorter, nothing lost', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 20 }), (items, size) => {
        const runs = chunked(items, size);
        expect(runs.flat()).toEqual(items);
        expect(runs.every((run, i) => run.length === size || (i === runs.length - 1 && run.length > 0))).toBe(true);
        expect(runs).toHaveLength(Math.ceil(items.length / size));
      }),
    );
  });

  it('refuses a size below one', () => {
    expect(() => chunked([1], 0)).toThrow(RangeError);
  });
});
