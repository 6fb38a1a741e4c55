/** Tokens a test server accepts without an identity provider: guest-shaped HS256 JWTs signed with its JWT_SECRET. */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { GUEST_ISSUER } from '../../src/http/auth/token-auth.js';

/** A token for `sub` (a fresh id by default); `admin` adds `app_metadata.role: admin`, as Supabase's service role sets it. */
export async function signUserToken(secret: string, opts: { sub?: string; admin?: boolean } = {}): Promise<{ token: string; userId: string }> {
  const userId = opts.sub ?? randomUUID();
  const token = await new SignJWT({ role: 'authenticated', ...(opts.admin ? { app_metadata: { role: 'admin' } } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setAudience('authenticated')
    .setIssuer(GUEST_ISSUER)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
  return { token, userId };
}
