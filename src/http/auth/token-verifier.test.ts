import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIdp, unsignedToken, type FakeIdp } from '../../../tests/support/jwt-issuer.js';
import { createTokenAuth, GUEST_ISSUER, type TokenAuth } from './token-auth.js';
import { createHmacVerifier, createJwksVerifier, createVerifierChain } from './token-verifier.js';

const GUEST_SECRET = 'guest-secret-guest-secret-guest-secret-0123';
const SUPABASE_SECRET = 'supabase-secret-supabase-secret-supabase-0123';
const OTHER_SECRET = 'other-secret-other-secret-other-secret-01234';

describe('token verification (real signed JWTs)', () => {
  let idp: FakeIdp;
  let auth: TokenAuth;

  beforeAll(async () => {
    idp = await startFakeIdp();
    await idp.addKey('RS256', 'rsa-1');
    auth = createTokenAuth({
      secret: new TextEncoder().encode(GUEST_SECRET),
      verifiers: [
        createHmacVerifier('supabase-hs256', new TextEncoder().encode(SUPABASE_SECRET), { audience: 'authenticated', issuer: idp.issuer }),
        createJwksVerifier(`${idp.url}/auth/v1/.well-known/jwks.json`, { audience: 'authenticated', issuer: idp.issuer, cooldownMs: 0 }),
      ],
    });
  });
  afterAll(() => idp.close());

  it('accepts our guest tokens, Supabase HS256 tokens and JWKS-signed RS256 and ES256 tokens; sub is the user', async () => {
    const guest = await auth.issueGuest();
    expect(await auth.verify(guest.token)).toMatchObject({ userId: guest.userId, source: 'guest', admin: false });
    expect(await auth.verify(await idp.signHs256({ sub: 'user-hs' }, SUPABASE_SECRET))).toMatchObject({ userId: 'user-hs', source: 'supabase-hs256' });
    const rs = await auth.verify(await idp.signAsymmetric({ sub: 'user-rs', expIn: 120 }, 'rsa-1'));
    expect(rs).toMatchObject({ userId: 'user-rs', source: 'jwks' });
    expect(rs.expiresAt! - Date.now()).toBeGreaterThan(100_000);
    // A new key id is fetched on first sight (rotation without restart).
    const before = idp.fetches;
    await idp.addKey('ES256', 'ec-1');
    expect(await auth.verify(await idp.signAsymmetric({ sub: 'user-es' }, 'ec-1'))).toMatchObject({ userId: 'user-es', source: 'jwks' });
    expect(idp.fetches).toBeGreaterThan(before);
    // …and cached afterwards.
    const cached = idp.fetches;
    await auth.verify(await idp.signAsymmetric({ sub: 'user-es' }, 'ec-1'));
    expect(idp.fetches).toBe(cached);
  });

  it.each([
    ['expired', () => idp.signAsymmetric({ sub: 'u', expIn: -60 }, 'rsa-1'), 'Token expired'],
    ['expired (HS256)', () => idp.signHs256({ sub: 'u', expIn: -60 }, SUPABASE_SECRET), 'Token expired'],
    ['wrong audience', () => idp.signAsymmetric({ sub: 'u', aud: 'anon' }, 'rsa-1'), /aud/],
    ['wrong issuer', () => idp.signAsymmetric({ sub: 'u', iss: 'https://evil.example/auth/v1' }, 'rsa-1'), 'Invalid token'],
    ['wrong signature (another secret)', () => idp.signHs256({ sub: 'u' }, OTHER_SECRET), 'Invalid token'],
    ['no subject', () => idp.signHs256({}, SUPABASE_SECRET), 'Token has no subject'],
    ['alg: none', async () => unsignedToken({ sub: 'u', aud: 'authenticated', iss: idp.issuer, exp: 4102444800 }), 'Invalid token'],
    ['alg: none with the guest issuer', async () => unsignedToken({ sub: 'u', aud: 'authenticated', iss: GUEST_ISSUER, exp: 4102444800 }), 'Invalid token'],
    ['garbage', async () => 'not.a.jwt', 'Invalid token'],
    ['a signature swapped from another token', async () => {
      const [h, , s] = (await idp.signAsymmetric({ sub: 'victim' }, 'rsa-1')).split('.');
      const p = Buffer.from(JSON.stringify({ sub: 'attacker', aud: 'authenticated', iss: idp.issuer, exp: 4102444800 })).toString('base64url');
      return `${h}.${p}.${s}`;
    }, 'Invalid token'],
  ])('refuses %s with 401', async (_name, make, message) => {
    const token = await make();
    await expect(auth.verify(token)).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(message instanceof RegExp ? message : `^${message}$`) });
  });

  it('refuses an HS256 token signed with the public RSA key (algorithm confusion)', async () => {
    const res = await fetch(`${idp.url}/auth/v1/.well-known/jwks.json`);
    const jwk = ((await res.json()) as { keys: { n: string }[] }).keys[0]!;
    const forged = await idp.signHs256({ sub: 'attacker' }, JSON.stringify(jwk).padEnd(32, ' '));
    await expect(auth.verify(forged)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('admin: app_metadata.role "admin" or role "service_role"; a plain user is not', async () => {
    expect((await auth.verify(await idp.signAsymmetric({ sub: 'a', extra: { app_metadata: { role: 'admin' } } }, 'rsa-1'))).admin).toBe(true);
    expect((await auth.verify(await idp.signHs256({ sub: 's', extra: { role: 'service_role' } }, SUPABASE_SECRET))).admin).toBe(true);
    expect((await auth.verify(await idp.signAsymmetric({ sub: 'p', extra: { user_metadata: { role: 'admin' } } }, 'rsa-1'))).admin).toBe(false);
  });

  it('with guests off: no guest tokens are issued, and earlier ones are refused', async () => {
    const withGuests = createTokenAuth({ secret: new TextEncoder().encode(GUEST_SECRET) });
    const old = await withGuests.issueGuest();
    const noGuests = createTokenAuth({ secret: new TextEncoder().encode(GUEST_SECRET), guest: false });
    await expect(noGuests.issueGuest()).rejects.toMatchObject({ code: 'forbidden' });
    await expect(noGuests.verify(old.token)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('an unreachable key set is a 401, not a crash', async () => {
    const down = createTokenAuth({ secret: new TextEncoder().encode(GUEST_SECRET), verifiers: [createJwksVerifier('http://127.0.0.1:9/jwks.json', { audience: 'authenticated', timeoutMs: 500 })] });
    await expect(down.verify(await idp.signAsymmetric({ sub: 'u' }, 'rsa-1'))).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('the verified-token cache', () => {
  const principal = (userId: string, expiresAt: number | null) => ({ userId, expiresAt, admin: false, source: 'counting' });
  // A verifier that counts its checks; tokens are "alg header . sub . exp".
  function counting() {
    const calls: string[] = [];
    const verifier = {
      name: 'counting',
      algorithms: ['HS256'],
      async verify(token: string) {
        calls.push(token);
        const [, sub, exp] = token.split('.');
        return sub === 'bad' ? null : principal(sub!, Number(exp));
      },
    };
    return { calls, verifier };
  }
  const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
  const token = (sub: string, exp: number) => `${header}.${sub}.${exp}`;

  it('checks a token once while it is valid, again after ttlMs or its exp, and never remembers a refusal', async () => {
    let now = 1_000_000;
    const { calls, verifier } = counting();
    const chain = createVerifierChain([verifier], { ttlMs: 60_000, now: () => now });
    const long = token('alice', now + 3_600_000);
    for (let i = 0; i < 5; i++) expect(await chain(long)).toMatchObject({ userId: 'alice' });
    expect(calls).toHaveLength(1);
    now += 60_001;
    await chain(long);
    expect(calls).toHaveLength(2);

    const short = token('bob', now + 5_000);
    await chain(short);
    now += 5_000;
    await chain(short);
    expect(calls.filter((t) => t === short)).toHaveLength(2);

    const bad = token('bad', now + 10_000);
    await expect(chain(bad)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(chain(bad)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(calls.filter((t) => t === bad)).toHaveLength(2);
  });

  it('holds at most maxEntries tokens, dropping the least recently used', async () => {
    const { calls, verifier } = counting();
    const chain = createVerifierChain([verifier], { maxEntries: 2, now: () => 0 });
    for (const sub of ['a', 'b', 'c', 'a']) await chain(token(sub, 10_000));
    expect(calls.map((t) => t.split('.')[1])).toEqual(['a', 'b', 'c', 'a']);
  });
});
