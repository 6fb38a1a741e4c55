/**
 * A stand-in identity provider for tests: signs access tokens with HS256 secrets or asymmetric
 * keys, and serves the public keys as a JWKS over real HTTP (at Supabase's path), so key rotation
 * and fetch counts can be observed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const JWKS_PATH = '/auth/v1/.well-known/jwks.json';

export interface Claims {
  sub?: string;
  aud?: string;
  iss?: string;
  /** Seconds from now; negative = already expired. */
  expIn?: number;
  extra?: Record<string, unknown>;
}

interface Key {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
}

export interface FakeIdp {
  /** The "Supabase URL": JWKS at `${url}/auth/v1/.well-known/jwks.json`, issuer `${url}/auth/v1`. */
  url: string;
  issuer: string;
  /** How often the JWKS was fetched. */
  fetches: number;
  addKey(alg: 'RS256' | 'ES256', kid?: string): Promise<string>;
  signAsymmetric(claims: Claims, kid?: string): Promise<string>;
  signHs256(claims: Claims, secret: string): Promise<string>;
  close(): Promise<void>;
}

export async function startFakeIdp(): Promise<FakeIdp> {
  const keys: Key[] = [];
  const state = { fetches: 0 };
  const server = http.createServer((req, res) => {
    if (req.url === JWKS_PATH) {
      state.fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: keys.map((k) => ({ ...k.jwk, kid: k.kid, alg: k.alg, use: 'sig' })) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${url}/auth/v1`;
  const build = (claims: Claims) => {
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT({ role: 'authenticated', ...claims.extra }).setIssuedAt(now - 5).setExpirationTime(now + (claims.expIn ?? 3600));
    if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
    jwt = jwt.setAudience(claims.aud ?? 'authenticated').setIssuer(claims.iss ?? issuer);
    return jwt;
  };
  return {
    url,
    issuer,
    get fetches() {
      return state.fetches;
    },
    async addKey(alg, kid = `${alg}-${keys.length + 1}`) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      keys.push({ kid, alg, privateKey, jwk: await exportJWK(publicKey) });
      return kid;
    },
    async signAsymmetric(claims, kid) {
      const key = kid ? keys.find((k) => k.kid === kid) : keys.at(-1);
      if (!key) throw new Error('no key');
      return build(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
    },
    signHs256(claims, secret) {
      return build(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** An unsigned token (`alg: none`) with the given payload. */
export function unsignedToken(payload: Record<string, unknown>): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}
