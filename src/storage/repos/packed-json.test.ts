import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packJson, unpackJson } from './packed-json.js';

describe('packed JSON', () => {
  it('round-trips any JSON, and never starts like gzip (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const packed = packJson(value);
        expect(packed[0] === 0x1f && packed[1] === 0x8b).toBe(false);
        // JSON.stringify drops -0's sign; compare with what JSON itself gives back.
        expect(unpackJson(packed)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('still reads the gzip of rows written before brotli', () => {
    const trace = { narrator: { prompt: '灯笼 — the lamp '.repeat(200) } };
    expect(unpackJson(gzipSync(JSON.stringify(trace)))).toEqual(trace);
    // The prompt repeats, so both compress it; brotli's bytes are not gzip's.
    const packed = packJson(trace);
    expect(packed.length).toBeLessThan(JSON.stringify(trace).length / 10);
    expect(() => unpackJson(gzipSync('{}').subarray(0, 5))).toThrow();
  });
});
