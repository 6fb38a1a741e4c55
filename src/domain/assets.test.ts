import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASSET_TYPES, isAssetName, mediaNamesInSource, parseMediaTag, sniffAssetType } from './assets.js';

const MAGIC: [number[], (typeof ASSET_TYPES)[number]][] = [
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [[...'GIF89a'].map((c) => c.charCodeAt(0)), 'image/gif'],
  [[...'OggS'].map((c) => c.charCodeAt(0)), 'audio/ogg'],
  [[...'ID3'].map((c) => c.charCodeAt(0)), 'audio/mpeg'],
];
const riff = (kind: string) => [...'RIFF'].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0], [...kind].map((c) => c.charCodeAt(0)));

describe('sniffAssetType', () => {
  it('tells each format from its magic bytes whatever follows, and answers any bytes without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        for (const [magic, type] of MAGIC) expect(sniffAssetType(new Uint8Array([...magic, ...tail]))).toBe(type);
        expect(sniffAssetType(new Uint8Array([...riff('WEBP'), ...tail]))).toBe('image/webp');
        expect(sniffAssetType(new Uint8Array([...riff('WAVE'), ...tail]))).toBe('audio/wav');
        const any = sniffAssetType(tail);
        expect(any === null || ASSET_TYPES.includes(any)).toBe(true);
      }),
    );
  });

  it('refuses text: SVG, HTML, JSON', () => {
    for (const text of ['<svg/>', '<!doctype html>', '{"a":1}', '']) expect(sniffAssetType(new TextEncoder().encode(text))).toBeNull();
  });
});

describe('asset names and media tags', () => {
  it('a name never holds a path separator or "..", and names of any script work in tags', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (name) => {
        if (isAssetName(name)) expect(name.includes('/') || name.includes('\\') || name.includes('..') || name.length > 100).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom('港口', '雨の音', '표지', 'harbour'), fc.constantFrom('webp', 'ogg', 'png'), fc.constantFrom('image', 'audio'), (stem, ext, kind) => {
        const name = `${stem}.${ext}`;
        expect(isAssetName(name)).toBe(true);
        expect(parseMediaTag(`${kind}: ${name}`)).toEqual({ kind, name });
        expect(mediaNamesInSource(`在港口。#${kind}:${name}\n* [走] -> END\n`)).toEqual([{ kind, name }]);
      }),
    );
  });
});
