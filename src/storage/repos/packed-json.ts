/**
 * A turn's recording and its context trace are stored as compressed JSON in bytea columns: they
 * are written on every turn and read rarely (replay, debugging), and they repeat prompts, context
 * and ink state, which compress well. Compressing here costs the worker less than the database
 * spent parsing them as jsonb and compressing them again for TOAST.
 *
 * Brotli at quality 1: on a turn's two blobs (18 KB of JSON) it takes half of gzip's CPU at its
 * fastest level (81–88 against 153–185 µs a turn, warm; `bench/README.md`) for 4 % more bytes.
 * Rows written before hold gzip, which starts with 1f 8b; a brotli stream with a window of at
 * most 2^22 never does (its first byte would have to announce a 2^24 window), so the first two
 * bytes tell the two apart.
 * @module
 */
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';

const WINDOW_BITS = 22;

export function packJson(value: unknown): Buffer {
  const text = JSON.stringify(value);
  return brotliCompressSync(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 1,
      [constants.BROTLI_PARAM_LGWIN]: WINDOW_BITS,
      // Lets the encoder size its tables to the input (a hint: characters, not bytes, is close enough).
      [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
    },
  });
}

export function unpackJson<T>(bytes: Uint8Array): T {
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return JSON.parse((gzip ? gunzipSync(bytes) : brotliDecompressSync(bytes)).toString('utf8')) as T;
}
