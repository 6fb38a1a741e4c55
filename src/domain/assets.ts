/**
 * Story assets without I/O: what a file is (told from its bytes, never its name), which names are
 * allowed, and which assets a story's ink tags name (`# image: harbour.webp`, `# audio: rain.ogg`,
 * `# cover: front.png`).
 * @module
 */

export const ASSET_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'audio/mpeg', 'audio/ogg', 'audio/wav'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];
export type MediaKind = 'image' | 'audio' | 'cover';

const ascii = (bytes: Uint8Array, at: number, text: string) => text.split('').every((ch, i) => bytes[at + i] === ch.charCodeAt(0));

/** The asset's media type from its first bytes (magic numbers), or null for anything else. */
export function sniffAssetType(bytes: Uint8Array): AssetType | null {
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image/gif';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return 'audio/wav';
  if (ascii(bytes, 0, 'OggS')) return 'audio/ogg';
  if (ascii(bytes, 0, 'ID3')) return 'audio/mpeg';
  // An MPEG audio frame without an ID3 header: 11 sync bits, then a layer that is not "reserved".
  if (bytes.length >= 4 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0 && ((bytes[1] ?? 0) & 0x06) !== 0) return 'audio/mpeg';
  return null;
}

/** Letters and digits of any script, then `.`, `_` or `-` too; no path separators, at most 100 characters. */
const NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u;

export function isAssetName(name: string): boolean {
  return NAME.test(name) && !name.includes('..');
}

/** A media tag (`image: x.webp`) as kind and asset name, or null for any other tag. */
export function parseMediaTag(tag: string): { kind: MediaKind; name: string } | null {
  const m = /^\s*(image|audio|cover)\s*:\s*(\S+)\s*$/iu.exec(tag);
  if (!m?.[1] || !m[2]) return null;
  return { kind: m[1].toLowerCase() as MediaKind, name: m[2] };
}

/** Every asset name the story's ink names in a media tag, in order of first mention. */
export function mediaNamesInSource(source: string): { kind: MediaKind; name: string }[] {
  const found = new Map<string, { kind: MediaKind; name: string }>();
  for (const m of source.matchAll(/#\s*(image|audio|cover)\s*:\s*([^\s#]+)/giu)) {
    const tag = parseMediaTag(`${m[1]}: ${m[2]}`);
    if (tag && !found.has(tag.name)) found.set(tag.name, tag);
  }
  return [...found.values()];
}

/** The story's cover: the asset its `# cover:` tag names, else none. */
export function coverName(source: string): string | null {
  return mediaNamesInSource(source).find((t) => t.kind === 'cover')?.name ?? null;
}
