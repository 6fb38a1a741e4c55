import type { Env } from '../config/env.js';
import type { Logger } from '../shared/log.js';
import { createTokenAuth, type TokenAuth } from '../http/auth/token-auth.js';
import { createHmacVerifier, createJwksVerifier, type TokenVerifier } from '../http/auth/token-verifier.js';
import { resolveJwtSecret } from './jwt-secret.js';

/** Guest accounts: GUEST_AUTH wins; otherwise on unless an external identity provider is configured. */
export function guestAuthEnabled(env: Env): boolean {
  if (env.GUEST_AUTH) return env.GUEST_AUTH === 'on';
  return !env.SUPABASE_URL && !env.SUPABASE_JWT_SECRET && !env.JWKS_URL;
}

/** The issuer external tokens must carry: JWT_ISSUER, else the Supabase project's auth URL. */
export function externalIssuer(env: Env): string | undefined {
  return env.JWT_ISSUER ?? (env.SUPABASE_URL ? `${env.SUPABASE_URL.replace(/\/+$/, '')}/auth/v1` : undefined);
}

/**
 * External verifiers from the environment, in the order they are tried (HS256 before JWKS, which
 * may need a network round trip):
 * - HS256 with SUPABASE_JWT_SECRET, or with JWT_SECRET when an issuer (SUPABASE_URL / JWT_ISSUER) says whose;
 * - JWKS_URL, or `${SUPABASE_URL}/auth/v1/.well-known/jwks.json`.
 */
export function externalVerifiers(env: Env, logger: Logger): TokenVerifier[] {
  const issuer = externalIssuer(env);
  const claims = { audience: env.JWT_AUDIENCE, ...(issuer ? { issuer } : {}) };
  const verifiers: TokenVerifier[] = [];
  const hsSecret = env.SUPABASE_JWT_SECRET ?? (issuer ? env.JWT_SECRET : undefined);
  if (hsSecret) verifiers.push(createHmacVerifier('supabase-hs256', new TextEncoder().encode(hsSecret), claims));
  const jwksUrl = env.JWKS_URL ?? (env.SUPABASE_URL ? `${env.SUPABASE_URL.replace(/\/+$/, '')}/auth/v1/.well-known/jwks.json` : undefined);
  if (jwksUrl) verifiers.push(createJwksVerifier(jwksUrl, claims));
  if (verifiers.length && !issuer) logger.warn({}, 'external access tokens are accepted without an issuer check: set SUPABASE_URL or JWT_ISSUER');
  return verifiers;
}

/** Token verification for a web process. */
export function createAuth(env: Env, logger: Logger): TokenAuth {
  const guest = guestAuthEnabled(env);
  const secret = resolveJwtSecret({ jwtSecret: env.JWT_SECRET, dataDir: env.DATA_DIR, embedded: !env.DATABASE_URL, logger });
  const verifiers = externalVerifiers(env, logger);
  logger.info({ guest, verifiers: verifiers.map((v) => v.name) }, 'authentication');
  return createTokenAuth({ secret, guest, verifiers });
}
