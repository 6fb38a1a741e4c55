/**
 * Bearer tokens: HS256 JWTs shaped like Supabase's (`sub` = user id, `aud` = "authenticated",
 * `role` = "authenticated"), so the same verifier later accepts Supabase access tokens.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { DramaError } from '../../domain/errors.js';

export interface TokenAuth {
  /** A new guest user and a token for them. */
  issueGuest(): Promise<{ token: string; userId: string; expiresAt: string }>;
  /** The user id of a valid token; throws `unauthorized` otherwise. */
  verify(token: string): Promise<{ userId: string }>;
}

export interface TokenAuthOptions {
  secret: Uint8Array;
  issuer?: string;
  /** Guest token lifetime (default 30 days). */
  guestTtlSeconds?: number;
}

const AUDIENCE = 'authenticated';

export function createTokenAuth(options: TokenAuthOptions): TokenAuth {
  const issuer = options.issuer ?? 'mock-drama';
  const ttl = options.guestTtlSeconds ?? 30 * 24 * 3600;
  return {
    async issueGuest() {
      const userId = randomUUID();
      const exp = Math.floor(Date.now() / 1000) + ttl;
      const token = await new SignJWT({ role: AUDIENCE, is_anonymous: true })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setAudience(AUDIENCE)
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(options.secret);
      return { token, userId, expiresAt: new Date(exp * 1000).toISOString() };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, options.secret, { algorithms: ['HS256'], audience: AUDIENCE, issuer });
        if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new DramaError('unauthorized', 'Token has no subject');
        return { userId: payload.sub };
      } catch (err) {
        if (err instanceof DramaError) throw err;
        const expired = err instanceof joseErrors.JWTExpired;
        throw new DramaError('unauthorized', expired ? 'Token expired' : 'Invalid token');
      }
    },
  };
}
