/**
 * Where story assets (images, audio) live: bytes under a key, like an object store. Two adapters,
 * local disk and S3-compatible storage (storage/assets/), pass one contract suite.
 * @module
 */

/** An object as listed: its key and size in bytes. */
export interface StoredObject {
  key: string;
  size: number;
}

export interface AssetStorage {
  /** Stores the bytes under the key, replacing what was there. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredObject & { etag: string }>;
  /** The object's bytes and an entity tag that changes with its content, or null when there is none. */
  get(key: string): Promise<{ bytes: Uint8Array; etag: string } | null>;
  /** Removes the object; true if there was one. */
  delete(key: string): Promise<boolean>;
  /** Every object whose key starts with the prefix, in key order. */
  list(prefix: string): Promise<StoredObject[]>;
  close(): Promise<void>;
}
