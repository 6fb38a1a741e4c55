/**
 * A turn's recording and its context trace are stored in bytea columns: they are written on every
 * turn and read rarely (replay, debugging), and they repeat prompts, context and ink state, which
 * compress well. Parsing them as jsonb would cost the database more than it is worth.
 *
 * Who compresses depends on the server (`BlobPacking`, read from the catalog at start):
 * - `lz4`: the columns are TOAST-compressed with lz4 (migration 0020). The process sends the JSON
 *   text as is and the server stores it behind one tag byte (`RAW_TAG`), compressed in ~10 µs.
 *   Brotli in the worker cost ~0.2 ms of CPU per blob, measured inside the running worker (a
 *   loop over the same two blobs says 50 µs: it keeps the encoder's tables and the JSON in cache).
 * - `brotli` (PGlite, servers without lz4): the columns are stored as given and the process
 *   compresses with brotli at quality 1, half of gzip's CPU at its fastest level for 4 % more bytes,
 *   on libuv's thread pool ({@link packJson}).
 *
 * Reading tells the forms apart by their first bytes: gzip (older rows) starts with 1f 8b; a
 * brotli stream with a 2^22 window always has 0xB in its first byte's low four bits; raw JSON
 * starts with the tag byte 00, which neither ever does.
 * @module
 */
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, constants, gunzipSync, type BrotliOptions } from 'node:zlib';

const brotliCompressOnPool = promisify<string, BrotliOptions, Buffer>(brotliCompress);

/** Who compresses the trace and the recording: the server's TOAST (lz4) or this process (brotli). */
export type BlobPacking = 'lz4' | 'brotli';

const WINDOW_BITS = 22;
/** The first byte of a blob stored as raw JSON (see the module comment). */
export const RAW_TAG = 0;

/**
 * SQL for the `lz4` packing's value of a blob column: parameter `$n`, the JSON as text, stored
 * behind {@link RAW_TAG} as bytes for the server to compress.
 */
export function rawJsonBytea(n: number): string {
  return `('\\x${RAW_TAG.toString(16).padStart(2, '0')}'::bytea || convert_to($${n}::text, 'UTF8'))`;
}

/**
 * Brotli-compressed JSON: what the `brotli` packing stores. The compression runs on libuv's thread
 * pool: the commit awaits its statement anyway, and brotli took 0.3 ms of a turn's event loop per
 * blob measured in place, the event loop an all-in-one process shares with every player's HTTP and
 * WebSocket traffic.
 */
export async function packJson(value: unknown): Promise<Buffer> {
  const text = JSON.stringify(value);
  return brotliCompressOnPool(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 1,
      [constants.BROTLI_PARAM_LGWIN]: WINDOW_BITS,
      // Lets the encoder size its tables to the input (a hint: characters, not bytes, is close enough).
      [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
    },
  });
}

export function unpackJson<T>(bytes: Uint8Array): T {
  if (bytes[0] === RAW_TAG) return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.byteLength - 1).toString('utf8')) as T;
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return JSON.parse((gzip ? gunzipSync(bytes) : brotliDecompressSync(bytes)).toString('utf8')) as T;
}
