/** An API key as stored: never the key itself, only its SHA-256 hash and its first characters. */
export interface ApiKeyRecord {
  id: string;
  ownerId: string;
  name: string;
  /** The key's first characters, so its owner can tell keys apart. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Set once revoked; a revoked key is kept (for audit) but never accepted again. */
  revokedAt: Date | null;
}

export interface NewApiKey {
  id: string;
  ownerId: string;
  name: string;
  prefix: string;
  /** Hex SHA-256 of the whole key. */
  keyHash: string;
}

/** API keys of server-to-server clients, looked up by hash. */
export interface ApiKeyStore {
  create(key: NewApiKey): Promise<ApiKeyRecord>;
  /** The owner's keys, revoked ones included, newest first. */
  list(ownerId: string): Promise<ApiKeyRecord[]>;
  /** How many keys the owner has that are not revoked (for the per-user limit). */
  countActive(ownerId: string): Promise<number>;
  /** The key with this hash (revoked or not), or null. */
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Revoke the owner's key (again is harmless); false when the owner has no key with this id. */
  revoke(ownerId: string, id: string, at: Date): Promise<boolean>;
  /** Record a use of the key. */
  touch(id: string, at: Date): Promise<void>;
}
