/**
 * Verifying bearer tokens from several issuers: our own guest tokens (HS256, our secret), Supabase
 * access tokens signed with the project's HS256 secret, and access tokens signed with asymmetric
 * keys published as a JWKS (Supabase's `/auth/v1/.well-known/jwks.json`, or any OIDC provider).
 * @module
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { webcrypto } from 'node:crypto';
import { DramaError } from '../../domain/errors.js';

/** Who a verified token speaks for. */
export interface Principal {
  userId: string;
  /** When the token stops being valid (ms since the epoch); null when it has no `exp`. */
  expiresAt: number | null;
  /** `app_metadata.role === "admin"` or `role === "service_role"`. */
  admin: boolean;
  /** Which verifier accepted it (`api-key` for an API key). */
  source: string;
  /** The API key's id, when the credential was one. */
  apiKeyId?: string;
}

/**
 * One way of checking a token. `verify` returns null when the token is not this verifier's (wrong
 * algorithm, signature or key), so the next one may try; it throws `unauthorized` when the token
 * is this verifier's but unacceptable (expired, wrong audience…).
 */
export interface TokenVerifier {
  readonly name: string;
  /** JWS algorithms this verifier accepts; the chain skips it for any other. */
  readonly algorithms: readonly string[];
  verify(token: string): Promise<Principal | null>;
}

export interface JwtVerifierOptions {
  name: string;
  /** An HS256 secret, or a key set (e.g. from {@link createRemoteJWKSet}). */
  key: Uint8Array | JWTVerifyGetKey;
  algorithms: string[];
  audience: string;
  /** Required `iss`; undefined = not checked. */
  issuer?: string;
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Errors meaning "not signed by this key": let the next verifier try. */
function notMine(err: unknown): boolean {
  return (
    err instanceof joseErrors.JWSSignatureVerificationFailed ||
    err instanceof joseErrors.JOSEAlgNotAllowed ||
    err instanceof joseErrors.JWKSNoMatchingKey ||
    err instanceof joseErrors.JWKSMultipleMatchingKeys ||
    (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'iss')
  );
}

function isAdmin(payload: JWTPayload): boolean {
  const appMeta = payload.app_metadata as { role?: unknown } | undefined;
  return payload.role === 'service_role' || appMeta?.role === 'admin';
}

/** A verifier for JWTs signed with one secret or key set, with `exp`, `aud` and (optionally) `iss` checks. */
export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  return {
    name: options.name,
    algorithms: options.algorithms,
    async verify(token) {
      let payload: JWTPayload;
      try {
        const verifyOptions = { algorithms: options.algorithms, audience: options.audience, ...(options.issuer ? { issuer: options.issuer } : {}) };
        // (Two calls only because the overloads of jwtVerify differ by key type.)
        ({ payload } = options.key instanceof Uint8Array ? await jwtVerify(token, options.key, verifyOptions) : await jwtVerify(token, options.key, verifyOptions));
      } catch (err) {
        if (notMine(err)) return null;
        if (err instanceof joseErrors.JWTExpired) throw new DramaError('unauthorized', 'Token expired');
        if (err instanceof joseErrors.JWTClaimValidationFailed) throw new DramaError('unauthorized', `Invalid token: ${err.claim} claim check failed`);
        if (err instanceof joseErrors.JWKSTimeout || (err instanceof joseErrors.JOSEError && err.code === 'ERR_JWKS_INVALID')) {
          throw new DramaError('unauthorized', 'Token could not be verified: the key set is unavailable');
        }
        if (err instanceof joseErrors.JOSEError) throw new DramaError('unauthorized', 'Invalid token');
        // A network failure fetching the key set.
        throw new DramaError('unauthorized', 'Token could not be verified: the key set is unavailable', { cause: err });
      }
      if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 200) throw new DramaError('unauthorized', 'Token has no subject');
      return { userId: payload.sub, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null, admin: isAdmin(payload), source: options.name };
    },
  };
}

/**
 * An HS256 key for `usage`, imported once. Handed the raw secret, jose imports it into WebCrypto
 * on every call: 80–95 µs a verification against 50–70 with the key imported (2,000 tokens, warm).
 */
export function hmacKey(secret: Uint8Array, usage: 'sign' | 'verify'): () => Promise<webcrypto.CryptoKey> {
  let key: Promise<webcrypto.CryptoKey> | undefined;
  return () => (key ??= webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [usage]));
}

/** An HS256 verifier over a shared secret. */
export function createHmacVerifier(name: string, secret: Uint8Array, opts: { audience: string; issuer?: string }): TokenVerifier {
  const key = hmacKey(secret, 'verify');
  return createJwtVerifier({ name, key: () => key(), algorithms: ['HS256'], ...opts });
}

/**
 * A verifier over a remote JWKS. jose caches the key set (10 minutes) and refetches it, at most
 * every 30 s, when a token names a key id it has not seen: key rotation needs no restart.
 */
export function createJwksVerifier(url: string, opts: { audience: string; issuer?: string; timeoutMs?: number; cooldownMs?: number }): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(url), { timeoutDuration: opts.timeoutMs ?? 5000, cooldownDuration: opts.cooldownMs ?? 30_000, cacheMaxAge: 600_000 });
  return createJwtVerifier({ name: 'jwks', key: keys, algorithms: ASYMMETRIC, audience: opts.audience, ...(opts.issuer ? { issuer: opts.issuer } : {}) });
}

/**
 * Try each verifier that accepts the token's algorithm, in order; the first that recognises the
 * token decides. `alg: none` and unknown algorithms are refused before any key is touched.
 */
export function createVerifierChain(verifiers: TokenVerifier[], opts: VerifiedCacheOptions = {}): (token: string) => Promise<Principal> {
  const cache = new VerifiedTokens(opts);
  return async (token) => {
    const known = cache.get(token);
    if (known) return known;
    const principal = await verifyOnce(verifiers, token);
    cache.set(token, principal);
    return principal;
  };
}

async function verifyOnce(verifiers: TokenVerifier[], token: string): Promise<Principal> {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new DramaError('unauthorized', 'Invalid token');
  }
  for (const v of verifiers) {
    if (typeof alg !== 'string' || !v.algorithms.includes(alg)) continue;
    const principal = await v.verify(token);
    if (principal) return principal;
  }
  throw new DramaError('unauthorized', 'Invalid token');
}

export interface VerifiedCacheOptions {
  /** How many verified tokens to remember (0 = verify every time). */
  maxEntries?: number;
  /** How long a verification is reused at most, even for a token that is valid longer. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Tokens already verified, by their exact text. A client sends the same token with every request
 * and on every socket, and an HMAC or RSA check per request was a tenth of a web process's CPU.
 * Only successes are kept, each until its own `exp` or `ttlMs` (whichever is first), so an expired
 * token is refused as before; a JWKS key that is withdrawn stops being honoured within `ttlMs`.
 * The expiry is checked here against `now` rather than with lru-cache's `ttl`: that one reads
 * performance.now (tests inject `now`), counts a start time of 0 as "no ttl", and keeps an entry
 * alive at exactly its deadline, where a token at its `exp` must already be refused.
 */
class VerifiedTokens {
  readonly #entries: LRUCache<string, { principal: Principal; until: number }> | null;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(opts: VerifiedCacheOptions) {
    const max = opts.maxEntries ?? 10_000;
    this.#entries = max > 0 ? new LRUCache({ max }) : null;
    this.#ttlMs = opts.ttlMs ?? 60_000;
    this.#now = opts.now ?? Date.now;
  }

  get(token: string): Principal | undefined {
    const hit = this.#entries?.get(token);
    return hit && hit.until > this.#now() ? hit.principal : undefined;
  }

  set(token: string, principal: Principal): void {
    const now = this.#now();
    const until = Math.min(now + this.#ttlMs, principal.expiresAt ?? Infinity);
    if (until > now) this.#entries?.set(token, { principal, until });
  }
}
