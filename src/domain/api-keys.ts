/**
 * API keys for server-to-server clients. A key is `md_` + 32 random bytes (base64url), shown once
 * when it is created; only its SHA-256 is stored, so a database leak reveals no usable key. A key
 * speaks for its owner, never as an admin, and cannot create more keys (see {@link ApiKeyService.create}).
 * @module
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { cleanText } from './clean-text.js';
import { audit } from './audit.js';
import { DramaError } from './errors.js';
import type { AuditStore } from './ports/audit-store.js';
import type { ApiKeyRecord, ApiKeyStore } from './ports/api-key-store.js';
import type { Clock } from './ports/clock.js';
import type { Logger } from '../shared/log.js';

export const API_KEY_PREFIX = 'md_';
const KEY_SHAPE = /^md_[A-Za-z0-9_-]{43}$/;
/** Characters of the key kept in clear (`md_` + 8), enough to tell keys apart, useless to guess one. */
const SHOWN_CHARS = 11;
const MAX_NAME_CHARS = 100;

/** Whether a bearer credential is an API key rather than a JWT. */
export function isApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_PREFIX);
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface ApiKeyServiceOptions {
  /** Keys (not revoked) a user may hold; 0 = unlimited. */
  maxKeysPerUser: number;
  /** Write `last_used_at` at most this often per key (default a minute). */
  touchIntervalMs?: number;
  /** Where creations and revocations are recorded (absent: the log line only). */
  audit?: AuditStore;
}

export class ApiKeyService {
  /** When this process last wrote `last_used_at`, per key id; bounded so it cannot grow without end. */
  readonly #touched = new Map<string, number>();
  readonly #touchIntervalMs: number;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: ApiKeyServiceOptions,
  ) {
    this.#touchIntervalMs = options.touchIntervalMs ?? 60_000;
  }

  /**
   * A new key for the owner: the record and the plaintext key, which is never available again.
   * Callers authenticated by an API key cannot create keys (`viaApiKey`): a leaked key must not
   * be able to mint replacements that outlive its revocation.
   */
  async create(ownerId: string, name: string, viaApiKey = false, requestId: string | null = null): Promise<{ record: ApiKeyRecord; key: string }> {
    if (viaApiKey) throw new DramaError('forbidden', 'An API key cannot create API keys; sign in with your account to create one');
    const clean = cleanText(name).trim();
    if (clean.length === 0 || clean.length > MAX_NAME_CHARS) {
      throw new DramaError('bad_request', `name must be 1 to ${MAX_NAME_CHARS} characters`, { details: [{ path: 'name', message: `1 to ${MAX_NAME_CHARS} characters` }] });
    }
    const limit = this.options.maxKeysPerUser;
    if (limit > 0) {
      // Check-then-insert, like the other quotas: a burst may overshoot by a few.
      const used = await this.store.countActive(ownerId);
      if (used >= limit) throw new DramaError('forbidden', `You have ${used} API keys; the limit is ${limit}`, { details: { quota: 'api_keys', limit, used } });
    }
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record = await this.store.create({ id: randomUUID(), ownerId, name: clean, prefix: key.slice(0, SHOWN_CHARS), keyHash: hashApiKey(key) });
    this.logger.info({ audit: 'api_key.created', ownerId, keyId: record.id, keyPrefix: record.prefix }, 'API key created');
    await audit(this.options, ownerId, 'api_key.created', `api_key:${record.id}`, requestId);
    return { record, key };
  }

  list(ownerId: string): Promise<ApiKeyRecord[]> {
    return this.store.list(ownerId);
  }

  /** Revoke one of the owner's keys; someone else's key is reported as not found. */
  async revoke(ownerId: string, id: string, requestId: string | null = null): Promise<void> {
    if (id.includes('\u0000') || !(await this.store.revoke(ownerId, id, new Date(this.clock.now())))) {
      throw new DramaError('not_found', `API key ${id} not found`);
    }
    this.logger.info({ audit: 'api_key.revoked', ownerId, keyId: id }, 'API key revoked');
    await audit(this.options, ownerId, 'api_key.revoked', `api_key:${id}`, requestId);
  }

  /** The key's record when it is valid; throws `api_key_invalid` (unknown) or `api_key_revoked`. */
  async authenticate(key: string): Promise<ApiKeyRecord> {
    // Malformed keys never reach the database.
    const record = KEY_SHAPE.test(key) ? await this.store.findByHash(hashApiKey(key)) : null;
    if (!record) throw new DramaError('api_key_invalid', 'Unknown API key');
    if (record.revokedAt) throw new DramaError('api_key_revoked', 'This API key was revoked');
    this.#touch(record);
    return record;
  }

  /** Record the use, at most once per interval per key (cluster-wide via the stored time, per process via the map). */
  #touch(record: ApiKeyRecord): void {
    const now = this.clock.now();
    const last = Math.max(record.lastUsedAt?.getTime() ?? 0, this.#touched.get(record.id) ?? 0);
    if (now - last < this.#touchIntervalMs) return;
    if (this.#touched.size >= 10_000) this.#touched.clear();
    this.#touched.set(record.id, now);
    this.store.touch(record.id, new Date(now)).catch((err: unknown) => this.logger.warn({ err, keyId: record.id }, 'could not record API key use'));
  }
}
