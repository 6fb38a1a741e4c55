/**
 * Assets in S3-compatible object storage (Supabase Storage's S3 endpoint, AWS S3, MinIO, R2)
 * through `@aws-sdk/client-s3`. Objects stay private: clients read them through the API, which
 * applies the story's access rules.
 * @module
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
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

export class S3AssetStorage implements AssetStorage {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(opts: S3AssetStorageOptions) {
    this.#bucket = opts.bucket;
    this.#prefix = opts.prefix ?? '';
    // Path-style URLs: what MinIO, Supabase Storage and local servers answer (no bucket subdomains).
    this.#client = new S3Client({ endpoint: opts.endpoint, region: opts.region, forcePathStyle: true, credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } });
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredObject & { etag: string }> {
    const out = await this.#client.send(new PutObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
    return { key, size: bytes.length, etag: unquote(out.ETag) };
  }

  async get(key: string): Promise<{ bytes: Uint8Array; etag: string } | null> {
    try {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }));
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { bytes, etag: unquote(out.ETag) };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<boolean> {
    // S3 deletes answer the same whether or not the object existed: ask first.
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }));
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }));
    return true;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    let token: string | undefined;
    do {
      const out = await this.#client.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: this.#prefix + prefix, ContinuationToken: token }));
      for (const o of out.Contents ?? []) if (o.Key) found.push({ key: o.Key.slice(this.#prefix.length), size: o.Size ?? 0 });
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404);
}
