/** PNG character cards for tests: a real 1×1 PNG with `tEXt` chunks added as SillyTavern adds them. */
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** A real 1×1 RGBA PNG (IHDR, IDAT, IEND), as image tools write it. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** One PNG chunk: length, type, data, CRC over type and data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** `png` with `tEXt` chunks (keyword → text) inserted before its IEND chunk. */
export function withTextChunks(png: Buffer, texts: Record<string, string>): Buffer {
  const iend = png.length - 12;
  const chunks = Object.entries(texts).map(([keyword, text]) => pngChunk('tEXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')])));
  return Buffer.concat([png.subarray(0, iend), ...chunks, png.subarray(iend)]);
}

/** A character card PNG: the card JSON base64-encoded in a `chara` (V2) or `ccv3` (V3) chunk. */
export function characterPng(card: unknown, keyword: 'chara' | 'ccv3' = 'chara', extra: Record<string, string> = {}): Buffer {
  return withTextChunks(TINY_PNG, { ...extra, [keyword]: Buffer.from(JSON.stringify(card), 'utf8').toString('base64') });
}

/** A fixture file of this folder. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./${name}`, import.meta.url));
}
