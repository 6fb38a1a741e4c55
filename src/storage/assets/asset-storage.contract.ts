/**
 * The behaviour every AssetStorage must have; asset-storage.contract.test.ts runs it against local
 * disk and against S3 (a real S3-compatible server, s3rver, started by the test).
 * @module
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssetStorage } from '../../domain/ports/asset-storage.js';

const bytes = (...b: number[]) => new Uint8Array(b);

export function runAssetStorageContract(name: string, create: () => Promise<AssetStorage>): void {
  const prefix = () => `stories/${Math.random().toString(36).slice(2)}/`;

  describe(`${name} (AssetStorage contract)`, () => {
    it('gives back what was put, with a tag that changes with the content and only then', async () => {
      const s = await create();
      const p = prefix();
      const put = await s.put(`${p}a.png`, bytes(1, 2, 3), 'image/png');
      expect(put).toMatchObject({ key: `${p}a.png`, size: 3 });
      const got = await s.get(`${p}a.png`);
      expect(got && [...got.bytes]).toEqual([1, 2, 3]);
      expect(got?.etag).toBe(put.etag);
      expect((await s.get(`${p}a.png`))?.etag).toBe(put.etag);
      const replaced = await s.put(`${p}a.png`, bytes(4, 5), 'image/png');
      expect(replaced.etag).not.toBe(put.etag);
      expect([...((await s.get(`${p}a.png`))?.bytes ?? [])]).toEqual([4, 5]);
      await s.close();
    });

    it('answers null for a key never put, and delete says whether there was an object', async () => {
      const s = await create();
      const p = prefix();
      expect(await s.get(`${p}none.ogg`)).toBeNull();
      expect(await s.delete(`${p}none.ogg`)).toBe(false);
      await s.put(`${p}x.ogg`, bytes(9), 'audio/ogg');
      expect(await s.delete(`${p}x.ogg`)).toBe(true);
      expect(await s.get(`${p}x.ogg`)).toBeNull();
      expect(await s.delete(`${p}x.ogg`)).toBe(false);
      await s.close();
    });

    it('lists a prefix in key order, with sizes, and nothing of another prefix', async () => {
      const s = await create();
      const p = prefix();
      const other = prefix();
      await s.put(`${p}b.wav`, bytes(1, 2), 'audio/wav');
      await s.put(`${p}a.gif`, bytes(1), 'image/gif');
      await s.put(`${other}c.gif`, bytes(1), 'image/gif');
      expect(await s.list(p)).toEqual([
        { key: `${p}a.gif`, size: 1 },
        { key: `${p}b.wav`, size: 2 },
      ]);
      expect(await s.list(prefix())).toEqual([]);
      await s.close();
    });

    it('keeps names of any script (CJK) and sizes exactly', async () => {
      const s = await create();
      const p = prefix();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('港口.webp', '雨の音.ogg', 'a_b-c.1.png', '표지.jpg'), fc.uint8Array({ minLength: 1, maxLength: 2048 }), async (name, body) => {
          await s.put(p + name, body, 'application/octet-stream');
          const got = await s.get(p + name);
          expect(got && Buffer.from(got.bytes).equals(Buffer.from(body))).toBe(true);
          expect((await s.list(p)).find((o) => o.key === p + name)?.size).toBe(body.length);
        }),
        { numRuns: 12 },
      );
      await s.close();
    });
  });
}
