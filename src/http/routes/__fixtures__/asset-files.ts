/**
 * Tiny valid media files, made here from their formats' headers (no binary fixtures in the repo).
 * @module
 */

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];

/** A 1×1 red PNG. */
export const PNG = b64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==');
/** A 1×1 GIF. */
export const GIF = b64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
/** A 1×1 lossless WebP. */
export const WEBP = b64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==');
/** A JPEG's start: SOI and a JFIF APP0 segment, then EOI. */
export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);

/** A WAV of 8 silent 8-bit mono samples at 8 kHz. */
export function wav(samples = 8): Uint8Array {
  const fmt = [...ascii('fmt '), ...le32(16), ...le16(1), ...le16(1), ...le32(8000), ...le32(8000), ...le16(1), ...le16(8)];
  const data = [...ascii('data'), ...le32(samples), ...new Array<number>(samples).fill(128)];
  return new Uint8Array([...ascii('RIFF'), ...le32(4 + fmt.length + data.length), ...ascii('WAVE'), ...fmt, ...data]);
}
export const WAV = wav();
/** An Ogg page header (capture pattern, version 0, beginning of stream) with an empty body. */
export const OGG = new Uint8Array([...ascii('OggS'), 0, 2, ...new Array<number>(8).fill(0), ...le32(1), ...le32(0), ...le32(0), 0]);
/** An ID3v2.4 header with no tags, then one MPEG-1 Layer III frame header and silence. */
export const MP3 = new Uint8Array([...ascii('ID3'), 4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x00, ...new Array<number>(32).fill(0)]);

export const ALL: { name: string; bytes: Uint8Array; type: string }[] = [
  { name: 'red.png', bytes: PNG, type: 'image/png' },
  { name: 'photo.jpg', bytes: JPEG, type: 'image/jpeg' },
  { name: 'harbour.webp', bytes: WEBP, type: 'image/webp' },
  { name: 'dot.gif', bytes: GIF, type: 'image/gif' },
  { name: 'bell.mp3', bytes: MP3, type: 'audio/mpeg' },
  { name: 'rain.ogg', bytes: OGG, type: 'audio/ogg' },
  { name: 'drip.wav', bytes: WAV, type: 'audio/wav' },
];
