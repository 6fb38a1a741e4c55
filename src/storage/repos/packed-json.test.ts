import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packJson, RAW_TAG, unpackJson } from './packed-json.js';

describe('packed JSON', () => {
  it('round-trips any JSON, and never starts like gzip (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const packed = await packJson(value);
        expect(packed[0] === 0x1f && packed[1] === 0x8b).toBe(false);
        // JSON.stringify drops -0's sign; compare with what JSON itself gives back.
        expect(unpackJson(packed)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('compresses on the thread pool: the caller gets a promise, and Chinese text round-trips', async () => {
    const trace = { narrator: { prompt: '灯笼 — the lamp '.repeat(200) } };
    const pending = packJson(trace);
    expect(pending).toBeInstanceOf(Promise);
    expect(unpackJson(await pending)).toEqual(trace);
  });

  it('reads JSON stored as text behind the raw tag (the lz4 packing), and never mistakes a brotli stream for it (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const text = JSON.stringify(value);
        expect(unpackJson(Buffer.concat([Buffer.of(RAW_TAG), Buffer.from(text)]))).toEqual(JSON.parse(text));
        expect((await packJson(value))[0]).not.toBe(RAW_TAG);
      }),
    );
    // As node-postgres hands a bytea over: a view into a larger buffer.
    const pool = Buffer.concat([Buffer.from('xx'), Buffer.of(RAW_TAG), Buffer.from('{"灯":"lamp"}'), Buffer.from('yy')]);
    expect(unpackJson(pool.subarray(2, pool.length - 2))).toEqual({ 灯: 'lamp' });
  });

  it('still reads the gzip of rows written before brotli', async () => {
    const trace = { narrator: { prompt: '灯笼 — the lamp '.repeat(200) } };
    expect(unpackJson(gzipSync(JSON.stringify(trace)))).toEqual(trace);
    // The prompt repeats, so both compress it; brotli's bytes are not gzip's.
    const packed = await packJson(trace);
    expect(packed.length).toBeLessThan(JSON.stringify(trace).length / 10);
    expect(() => unpackJson(gzipSync('{}').subarray(0, 5))).toThrow();
  });
});
