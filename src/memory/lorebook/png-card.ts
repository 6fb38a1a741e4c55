/**
 * The character data inside a PNG character card: a `tEXt` chunk `ccv3` (V3) or `chara` (V2),
 * base64 JSON. Chunks are split and their CRCs checked by png-chunks-extract (what SillyTavern
 * itself uses); its loop trusts each chunk's declared length, so the lengths are checked here first.
 * @module
 */
import extractChunks from 'png-chunks-extract';
import { decode as decodeText } from 'png-chunk-text';
import { DramaError } from '../../domain/errors.js';
import { lorebookInvalid } from './lorebook.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether the bytes start like a PNG file. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.every((b, i) => bytes[i] === b);
}

const broken = (message: string) => lorebookInvalid(`broken PNG: ${message}`, [{ path: 'png', message }]);

/** Every chunk's declared length fits in the file, and the file reaches IEND (else a crafted length could make the extractor allocate gigabytes). */
function checkLengths(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = SIGNATURE.length;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === 'IEND') return;
    // length, type, data, CRC
    if (at + 12 + length > bytes.length) throw broken(`chunk ${JSON.stringify(type)} at byte ${at} is cut off`);
    at += 12 + length;
  }
  throw broken('the file ends before its IEND chunk');
}

/** The text chunks by keyword. */
function textChunks(bytes: Uint8Array): Map<string, string> {
  checkLengths(bytes);
  let chunks: { name: string; data: Uint8Array }[];
  try {
    chunks = extractChunks(bytes);
  } catch (err) {
    throw broken(err instanceof Error ? err.message : String(err));
  }
  const texts = new Map<string, string>();
  for (const chunk of chunks.filter((c) => c.name === 'tEXt')) {
    try {
      const { keyword, text } = decodeText(chunk.data);
      texts.set(keyword, text);
    } catch (err) {
      throw broken(`a tEXt chunk: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return texts;
}

/** The character card JSON inside a PNG (V3 preferred when both are there), and which chunk held it. */
export function readPngCard(bytes: Uint8Array): { json: unknown; chunk: 'ccv3' | 'chara' } {
  const texts = textChunks(bytes);
  const chunk = texts.has('ccv3') ? 'ccv3' : texts.has('chara') ? 'chara' : null;
  if (!chunk) {
    throw new DramaError('lorebook_unknown_format', 'a PNG without character data (no "ccv3" or "chara" text chunk)', { details: [{ path: 'png', message: 'no ccv3 or chara tEXt chunk' }] });
  }
  // Some writers wrap the base64 in lines.
  const base64 = texts.get(chunk)!.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw lorebookInvalid(`the PNG's "${chunk}" chunk is not base64`, [{ path: `png.${chunk}`, message: 'not base64' }]);
  const text = Buffer.from(base64, 'base64').toString('utf8');
  try {
    return { json: JSON.parse(text) as unknown, chunk };
  } catch (err) {
    throw lorebookInvalid(`the PNG's "${chunk}" chunk is not JSON`, [{ path: `png.${chunk}`, message: err instanceof Error ? err.message : String(err) }]);
  }
}
