/**
 * Bearer tokens: guest HS256 JWTs we sign ourselves, shaped like Supabase's (`sub` = user id,
 * `aud` = "authenticated", `role` = "authenticated"), and any number of external verifiers
 * (Supabase HS256 secret, JWKS) tried after them. See {@link createVerifierChain}.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { DramaError } from '../../domain/errors.js';
import { createHmacVerifier, createVerifierChain, hmacKey, type Principal, type TokenVerifier } from './token-verifier.js';

export type { Principal } from './token-verifier.js';

export interface TokenAuth {
  /** Whether POST /api/auth/guest issues tokens. */
  readonly guestEnabled: boolean;
  /** A new guest user and a token for them; throws `forbidden` when guest accounts are off. */
  issueGuest(): Promise<{ token: string; userId: string; expiresAt: string }>;
  /** Who a valid token speaks for; throws `unauthorized` otherwise. */
  verify(token: string): Promise<Principal>;
  /**
   * The guest user a token of ours names, for claiming their play; also while guests are off (a
   * player may hold one from before). Throws `guest_token_invalid` for anything else.
   */
  verifyGuest(token: string): Promise<string>;
}

export interface TokenAuthOptions {
  /** Signs and verifies guest tokens. */
  secret: Uint8Array;
  /** Guest tokens are issued and accepted (default true). */
  guest?: boolean;
  /** `iss` of guest tokens (default "mock-drama"). */
  issuer?: string;
  /** Guest token lifetime (default 30 days). */
  guestTtlSeconds?: number;
  /** External verifiers tried after the guest one (Supabase HS256, JWKS). */
  verifiers?: TokenVerifier[];
}

const AUDIENCE = 'authenticated';
export const GUEST_ISSUER = 'mock-drama';

export function createTokenAuth(options: TokenAuthOptions): TokenAuth {
  const issuer = options.issuer ?? GUEST_ISSUER;
  const ttl = options.guestTtlSeconds ?? 30 * 24 * 3600;
  const guest = options.guest ?? true;
  const guestVerifier = createHmacVerifier('guest', options.secret, { audience: AUDIENCE, issuer });
  const signingKey = hmacKey(options.secret, 'sign');
  const verify = createVerifierChain([...(guest ? [guestVerifier] : []), ...(options.verifiers ?? [])]);
  return {
    guestEnabled: guest,
    async issueGuest() {
      if (!guest) throw new DramaError('forbidden', 'Guest accounts are disabled on this server; sign in with your account');
      const userId = randomUUID();
      const exp = Math.floor(Date.now() / 1000) + ttl;
      const token = await new SignJWT({ role: AUDIENCE, is_anonymous: true })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setAudience(AUDIENCE)
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(await signingKey());
      return { token, userId, expiresAt: new Date(exp * 1000).toISOString() };
    },
    verify,
    async verifyGuest(token) {
      const principal = await guestVerifier.verify(token).catch((err: unknown) => {
        throw new DramaError('guest_token_invalid', `Not a valid guest token: ${err instanceof Error ? err.message : String(err)}`);
      });
      if (!principal) throw new DramaError('guest_token_invalid', 'Not a guest token of this server');
      return principal.userId;
    },
  };
}
