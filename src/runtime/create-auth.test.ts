import { describe, expect, it } from 'vitest';
import { loadEnv } from '../config/env.js';
import { silentLogger } from '../shared/logger.js';
import { externalIssuer, externalVerifiers, guestAuthEnabled } from './create-auth.js';

const SECRET = 'x'.repeat(40);

describe('authentication from the environment', () => {
  it('guests: on by default, off once an identity provider is configured, GUEST_AUTH wins', () => {
    expect(guestAuthEnabled(loadEnv({}))).toBe(true);
    expect(guestAuthEnabled(loadEnv({ JWT_SECRET: SECRET }))).toBe(true);
    expect(guestAuthEnabled(loadEnv({ SUPABASE_URL: 'https://p.supabase.co' }))).toBe(false);
    expect(guestAuthEnabled(loadEnv({ JWKS_URL: 'https://idp.example/jwks.json' }))).toBe(false);
    expect(guestAuthEnabled(loadEnv({ SUPABASE_JWT_SECRET: SECRET }))).toBe(false);
    expect(guestAuthEnabled(loadEnv({ SUPABASE_URL: 'https://p.supabase.co', GUEST_AUTH: 'on' }))).toBe(true);
    expect(guestAuthEnabled(loadEnv({ GUEST_AUTH: 'off' }))).toBe(false);
  });

  it('Supabase: the issuer and JWKS come from SUPABASE_URL; JWT_SECRET verifies HS256 only with an issuer', () => {
    const env = loadEnv({ SUPABASE_URL: 'https://p.supabase.co/', JWT_SECRET: SECRET });
    expect(externalIssuer(env)).toBe('https://p.supabase.co/auth/v1');
    expect(externalVerifiers(env, silentLogger()).map((v) => v.name)).toEqual(['supabase-hs256', 'jwks']);
    expect(externalVerifiers(loadEnv({ JWT_SECRET: SECRET }), silentLogger())).toEqual([]);
    expect(externalIssuer(loadEnv({ SUPABASE_URL: 'https://p.supabase.co', JWT_ISSUER: 'https://auth.example' }))).toBe('https://auth.example');
  });

  it('rejects a short Supabase secret and a bad GUEST_AUTH', () => {
    expect(() => loadEnv({ SUPABASE_JWT_SECRET: 'short', GUEST_AUTH: 'maybe' })).toThrow(/SUPABASE_JWT_SECRET[\s\S]*GUEST_AUTH|GUEST_AUTH[\s\S]*SUPABASE_JWT_SECRET/);
  });
});
