/**
 * Drives the fake GoTrue with the real supabase-js client (in Node), so browser tests can trust
 * that every route answers in the shape the client expects.
 */
import { AuthError, createClient } from '@supabase/supabase-js';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakeGoTrue, type FakeGoTrue, type FakeGoTrueOptions } from './fake-gotrue.js';

const SECRET = 'fake-gotrue-test-secret-at-least-32-chars';
const REDIRECT = 'http://127.0.0.1:9/cb';
let gotrue: FakeGoTrue | undefined;

afterEach(async () => {
  await gotrue?.close();
  gotrue = undefined;
});

async function start(options: FakeGoTrueOptions = { jwtSecret: SECRET }) {
  gotrue = await startFakeGoTrue(options);
  return gotrue;
}

function client(g: FakeGoTrue, flowType: 'pkce' | 'implicit' = 'pkce', key = g.anonKey) {
  return createClient(g.url, key, {
    auth: { flowType, persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // createClient() builds a Realtime client eagerly, which throws on Node 20 (no global WebSocket) unless given one.
    // It never connects here; the cast is because ws's constructor type is wider than realtime-js's WebSocketLikeConstructor.
    realtime: { transport: WebSocket as never },
  });
}

/** Follows one redirect by hand, as a browser would, and returns the Location. */
async function follow(link: string, status: number): Promise<URL> {
  const res = await fetch(link, { redirect: 'manual' });
  expect(res.status).toBe(status);
  return new URL(res.headers.get('location')!);
}

describe('fake GoTrue with the real supabase-js', () => {
  it('signs up and signs in with a password; tokens verify with the HS256 secret', async () => {
    const g = await start();
    const sb = client(g);
    const up = await sb.auth.signUp({ email: 'Ann@example.test', password: 'secret-1' });
    expect(up.error).toBeNull();
    expect(up.data.session?.access_token).toBeTruthy();
    const userId = up.data.user!.id;
    expect(g.users()).toEqual([{ id: userId, email: 'ann@example.test' }]);

    const { data, error } = await sb.auth.signInWithPassword({ email: 'ann@example.test', password: 'secret-1' });
    expect(error).toBeNull();
    const { payload, protectedHeader } = await jwtVerify(data.session!.access_token, new TextEncoder().encode(SECRET), {
      issuer: g.issuer,
      audience: 'authenticated',
    });
    expect(protectedHeader).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: userId, role: 'authenticated', email: 'ann@example.test', aal: 'aal1', is_anonymous: false });
    expect(payload.app_metadata).toEqual({ provider: 'email', providers: ['email'] });
    expect(g.issuedAccessTokens().at(-1)).toBe(data.session!.access_token);
    // getUser() goes to GET /user with the stored session's token; getClaims() does too for HS256 tokens.
    expect((await sb.auth.getUser()).data.user?.id).toBe(userId);
    expect((await sb.auth.getClaims()).data?.claims.sub).toBe(userId);

    const again = await sb.auth.signUp({ email: 'ann@example.test', password: 'secret-1' });
    expect(again.error).toMatchObject({ status: 422, code: 'user_already_exists', message: 'User already registered' });
    const weak = await sb.auth.signUp({ email: 'bob@example.test', password: '123' });
    expect(weak.error).toMatchObject({ name: 'AuthWeakPasswordError', status: 422, code: 'weak_password', reasons: ['length'] });
  });

  it('rejects a wrong password with GoTrue\'s message', async () => {
    const g = await start();
    g.addUser('cid@example.test', 'right-password');
    const { data, error } = await client(g).auth.signInWithPassword({ email: 'cid@example.test', password: 'wrong-password' });
    expect(data.session).toBeNull();
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ message: 'Invalid login credentials', status: 400, code: 'invalid_credentials' });
  });

  it('rotates refresh tokens and counts refreshes', async () => {
    const g = await start();
    g.addUser('dee@example.test', 'password');
    const sb = client(g);
    const first = (await sb.auth.signInWithPassword({ email: 'dee@example.test', password: 'password' })).data.session!;
    const { data, error } = await sb.auth.refreshSession();
    expect(error).toBeNull();
    expect(data.session!.refresh_token).not.toBe(first.refresh_token);
    expect(data.session!.access_token).not.toBe(first.access_token);
    expect(g.refreshes()).toBe(1);
    expect(g.requests.filter((r) => r.query.grant_type === 'refresh_token').at(-1)?.body).toEqual({ refresh_token: first.refresh_token });

    const reuse = await client(g).auth.refreshSession({ refresh_token: first.refresh_token });
    expect(reuse.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' });
    expect(g.refreshes()).toBe(1);
  });

  it('signOut revokes the session: GET /user answers 401 and the refresh token is dead', async () => {
    const g = await start();
    g.addUser('eve@example.test', 'password');
    const sb = client(g);
    const session = (await sb.auth.signInWithPassword({ email: 'eve@example.test', password: 'password' })).data.session!;
    expect((await sb.auth.signOut()).error).toBeNull();
    expect(g.requests.at(-1)).toMatchObject({ method: 'POST', path: '/auth/v1/logout', query: { scope: 'global' } });

    const res = await fetch(`${g.issuer}/user`, { headers: { apikey: g.anonKey, authorization: `Bearer ${session.access_token}` } });
    expect(res.status).toBe(401);
    // session_not_found is what auth-js turns into AuthSessionMissingError (and then forgets the session).
    expect((await client(g).auth.getUser(session.access_token)).error?.name).toBe('AuthSessionMissingError');
    const refresh = await client(g).auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refresh.error).toMatchObject({ status: 400, code: 'refresh_token_not_found' });
  });

  it('PKCE magic link: /otp, the emailed link redirects with ?code=, the code exchanges once', async () => {
    const g = await start();
    const sb = client(g);
    const otp = await sb.auth.signInWithOtp({ email: 'fay@example.test', options: { emailRedirectTo: REDIRECT } });
    expect(otp.error).toBeNull();
    expect(g.requests.at(-1)).toMatchObject({ path: '/auth/v1/otp', query: { redirect_to: REDIRECT }, body: { create_user: true, code_challenge_method: 's256' } });

    const link = g.magicLink('fay@example.test')!;
    expect(link).toMatch(new RegExp(`^${g.issuer}/verify\\?token=\\w+&type=magiclink&redirect_to=`));
    const location = await follow(link, 303);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    const code = location.searchParams.get('code')!;
    const { data, error } = await sb.auth.exchangeCodeForSession(code);
    expect(error).toBeNull();
    expect(data.session?.user.email).toBe('fay@example.test');
    expect(data.user?.email_confirmed_at).toBeTruthy();

    // The link is single use: a second click lands with GoTrue's error fragment.
    const spent = await follow(link, 303);
    expect(new URLSearchParams(spent.hash.slice(1)).get('error_code')).toBe('otp_expired');
  });

  it('implicit magic link: tokens arrive in the fragment', async () => {
    const g = await start();
    await client(g, 'implicit').auth.signInWithOtp({ email: 'gus@example.test', options: { emailRedirectTo: REDIRECT } });
    const fragment = new URLSearchParams((await follow(g.magicLink('gus@example.test')!, 303)).hash.slice(1));
    expect(fragment.get('type')).toBe('magiclink');
    expect(fragment.get('token_type')).toBe('bearer');
    const user = await client(g).auth.getUser(fragment.get('access_token')!);
    expect(user.data.user?.email).toBe('gus@example.test');
  });

  it('OAuth: the /authorize URL consents at once and its code exchanges', async () => {
    const g = await start();
    const sb = client(g);
    const { data, error } = await sb.auth.signInWithOAuth({ provider: 'github', options: { redirectTo: REDIRECT, skipBrowserRedirect: true } });
    expect(error).toBeNull();
    const code = (await follow(data.url!, 302)).searchParams.get('code')!;
    const exchanged = await sb.auth.exchangeCodeForSession(code);
    expect(exchanged.error).toBeNull();
    expect(exchanged.data.user).toMatchObject({ email: 'github-user@example.test', app_metadata: { provider: 'github', providers: ['github'] } });
  });

  it('without autoconfirm, signUp returns only the user and the confirmation link signs in', async () => {
    const g = await start({ jwtSecret: SECRET, autoconfirm: false });
    const sb = client(g);
    const up = await sb.auth.signUp({ email: 'hal@example.test', password: 'password', options: { emailRedirectTo: REDIRECT } });
    expect(up.error).toBeNull();
    expect(up.data.session).toBeNull();
    expect(up.data.user?.confirmation_sent_at).toBeTruthy();
    const early = await sb.auth.signInWithPassword({ email: 'hal@example.test', password: 'password' });
    expect(early.error?.code).toBe('email_not_confirmed');
    const code = (await follow(g.magicLink('hal@example.test')!, 303)).searchParams.get('code')!;
    expect((await sb.auth.exchangeCodeForSession(code)).data.session).toBeTruthy();
  });

  it('ES256: tokens verify against the published JWKS, also through getClaims()', async () => {
    const g = await start({ signing: 'ES256', expiresIn: 600 });
    const sb = client(g);
    const session = (await sb.auth.signUp({ email: 'ivy@example.test', password: 'password' })).data.session!;
    const jwks = createRemoteJWKSet(new URL(`${g.issuer}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(session.access_token, jwks, { issuer: g.issuer, audience: 'authenticated' });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(decodeProtectedHeader(session.access_token)).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: expect.any(String) });
    // getClaims() imports the JWK with WebCrypto, exactly as it does in Chromium.
    const claims = await sb.auth.getClaims();
    expect(claims.error).toBeNull();
    expect(claims.data?.claims.email).toBe('ivy@example.test');
    expect(g.requests.some((r) => r.path === '/auth/v1/user')).toBe(false);
  });

  it('needs the apikey (except on browser-navigated routes) and answers CORS preflights', async () => {
    const g = await start();
    expect((await fetch(`${g.issuer}/settings`)).status).toBe(401);
    expect((await fetch(`${g.issuer}/settings`, { headers: { apikey: 'wrong' } })).status).toBe(401);
    const ok = await fetch(`${g.issuer}/settings`, { headers: { apikey: g.anonKey } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect((await fetch(`${g.issuer}/.well-known/jwks.json`)).status).toBe(200);
    const noKey = await client(g, 'pkce', 'not-the-key').auth.signInWithPassword({ email: 'x@example.test', password: 'password' });
    expect(noKey.error).toMatchObject({ status: 401, message: 'Invalid API key' });

    const pre = await fetch(`${g.issuer}/token?grant_type=password`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'apikey,content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toContain('x-supabase-api-version');
    expect(pre.headers.get('access-control-expose-headers')).toBe('x-supabase-api-version');
  });
});
