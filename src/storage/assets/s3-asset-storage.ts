/**
 * Assets in S3-compatible object storage (Supabase Storage's S3 endpoint, AWS S3, MinIO, R2)
 * through `@aws-sdk/client-s3`. Objects stay private: clients read them through the API, which
 * applies the story's access rules. The SDK is loaded at the first request, not at start (a
 * quarter of a second of every start of a process that may never touch an asset).
 * @module
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { AssetStorage, StoredObject } from '../../domain/ports/asset-storage.js';

export interface S3AssetStorageOptions {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Keys are prefixed with this (e.g. `mock-drama/`), so a bucket can be shared. */
  prefix?: string;
}

const unquote = (etag: string | undefined) => (etag ?? '').replace(/^(W\/)?"|"$/g, '');

type Sdk = typeof import('@aws-sdk/client-s3');

export class S3AssetStorage implements AssetStorage {
  readonly #opts: S3AssetStorageOptions;
  readonly #bucket: string;
  readonly #prefix: string;
  #s3: Promise<{ sdk: Sdk; client: S3Client }> | undefined;

  constructor(opts: S3AssetStorageOptions) {
    this.#opts = opts;
    this.#bucket = opts.bucket;
    this.#prefix = opts.prefix ?? '';
  }

  /** The SDK and a client, made at the first request. */
  #ready(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.#s3 ??= import('@aws-sdk/client-s3').then((sdk) => {
      const { endpoint, region, accessKeyId, secretAccessKey } = this.#opts;
      // Path-style URLs: what MinIO, Supabase Storage and local servers answer (no bucket subdomains).
      return { sdk, client: new sdk.S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } }) };
    });
    return this.#s3;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredObject & { etag: string }> {
    const { sdk, client } = await this.#ready();
    const out = await client.send(new sdk.PutObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
    return { key, size: bytes.length, etag: unquote(out.ETag) };
  }

  async get(key: string): Promise<{ bytes: Uint8Array; etag: string } | null> {
    const { sdk, client } = await this.#ready();
    try {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }));
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { bytes, etag: unquote(out.ETag) };
    } catch (err) {
      if (isNotFound(sdk, err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<boolean> {
    // S3 deletes answer the same whether or not the object existed: ask first.
    const { sdk, client } = await this.#ready();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }));
    } catch (err) {
      if (isNotFound(sdk, err)) return false;
      throw err;
    }
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }));
    return true;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const { sdk, client } = await this.#ready();
    const found: StoredObject[] = [];
    let token: string | undefined;
    do {
      const out = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.#bucket, Prefix: this.#prefix + prefix, ContinuationToken: token }));
      for (const o of out.Contents ?? []) if (o.Key) found.push({ key: o.Key.slice(this.#prefix.length), size: o.Size ?? 0 });
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async close(): Promise<void> {
    if (this.#s3) (await this.#s3).client.destroy();
  }
}

function isNotFound(sdk: Sdk, err: unknown): boolean {
  return err instanceof sdk.S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404);
}
