/**
 * Assets on local disk, under `<DATA_DIR>/assets/`: one file per key, written to a temporary file
 * and renamed, so a reader never sees half an asset. The entity tag is the content's SHA-256.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { AssetStorage, StoredObject } from '../../domain/ports/asset-storage.js';

const TMP = '.tmp-';
const etagOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 32);

export class LocalAssetStorage implements AssetStorage {
  constructor(private readonly root: string) {}

  #path(key: string): string {
    const path = join(this.root, ...key.split('/'));
    if (key.split('/').some((part) => part === '' || part === '.' || part === '..' || part.startsWith(TMP))) throw new Error(`invalid asset key: ${key}`);
    return path;
  }

  async put(key: string, bytes: Uint8Array, _contentType: string): Promise<StoredObject & { etag: string }> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `${TMP}${randomUUID()}`);
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    return { key, size: bytes.length, etag: etagOf(bytes) };
  }

  async get(key: string): Promise<{ bytes: Uint8Array; etag: string } | null> {
    try {
      const bytes = new Uint8Array(await readFile(this.#path(key)));
      return { bytes, etag: etagOf(bytes) };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<boolean> {
    const path = this.#path(key);
    const existed = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (existed) await rm(path, { force: true });
    return existed;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    // Only the deepest directory the prefix names is read, not the whole tree.
    const dir = join(this.root, ...prefix.split('/').slice(0, -1));
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((err: unknown) => {
      if (isMissing(err)) return [];
      throw err;
    });
    const found: StoredObject[] = [];
    for (const e of entries) {
      if (!e.isFile() || e.name.startsWith(TMP)) continue;
      const path = join(e.parentPath, e.name);
      const key = relative(this.root, path).split(sep).join('/');
      if (key.startsWith(prefix)) found.push({ key, size: (await stat(path)).size });
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async close(): Promise<void> {}
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR';
}
