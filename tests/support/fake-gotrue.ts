/**
 * A fake Supabase Auth (GoTrue) server over real HTTP, good enough for the real
 * `@supabase/supabase-js` client (in Node or in Chromium) to sign up, sign in with a password, a
 * magic link or an OAuth provider that consents at once, refresh, and sign out. Request and
 * response shapes follow auth-js 2.119 (GoTrueClient.js, lib/fetch.js) and GoTrue's API.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface FakeGoTrueOptions {
  /** HS256: tokens signed with this secret (the server's SUPABASE_JWT_SECRET). */
  jwtSecret?: string;
  /** 'ES256': sign with a generated EC key pair and publish it at /auth/v1/.well-known/jwks.json (kid set). Default 'HS256' (requires jwtSecret). */
  signing?: 'HS256' | 'ES256';
  /** access token lifetime in seconds (default 3600). */
  expiresIn?: number;
  /** signup returns a session at once (default true); false → returns the user only, with confirmation_sent_at, as when email confirmation is on. */
  autoconfirm?: boolean;
}

export interface FakeGoTrue {
  /** The "SUPABASE_URL", e.g. http://127.0.0.1:PORT */
  url: string;
  /** `${url}/auth/v1` */
  issuer: string;
  /** Every request except the open routes (verify, authorize, JWKS, preflight) must send it as `apikey`. */
  anonKey: string;
  /** Every request received (CORS preflights too): method, path (without query), query params, parsed JSON body. */
  requests: { method: string; path: string; query: Record<string, string>; body: unknown }[];
  addUser(email: string, password: string): string;
  users(): { id: string; email: string }[];
  /** The link the last magic-link (or signup confirmation) email to this address would contain. */
  magicLink(email: string): string | undefined;
  /** How many refresh_token grants were served. */
  refreshes(): number;
  /** Access tokens issued so far (newest last). */
  issuedAccessTokens(): string[];
  close(): Promise<void>;
}

interface User {
  id: string; email: string; password?: string; confirmedAt: string | null; confirmationSentAt?: string; createdAt: string;
  appMetadata: { provider: string; providers: string[] }; userMetadata: Record<string, unknown>;
}
interface Session { id: string; userId: string; amr: string; authTime: number; active: boolean }
/** What a PKCE flow remembers between /otp|/signup|/authorize and the code exchange. */
interface Pkce { challenge: string; method: string }
/** A pending email link (magic link or signup confirmation). */
interface Link { email: string; type: 'magiclink' | 'signup'; redirectTo?: string; pkce?: Pkce }

/** A GoTrue error: status, machine code, human message (the client shows `msg` as `error.message`). */
class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, msg: string, readonly extra: object = {}) {
    super(msg);
  }
}

const API_VERSION = '2024-01-01';
const AUTH = '/auth/v1';
/** Supabase's gateway lets these through without an apikey: browsers navigate to them directly. */
const OPEN_ROUTES = new Set([`${AUTH}/verify`, `${AUTH}/authorize`, `${AUTH}/.well-known/jwks.json`]);
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET,POST,PUT,OPTIONS',
  'access-control-allow-headers': 'authorization, apikey, content-type, x-client-info, x-supabase-api-version',
  // Without this the browser hides the version header and auth-js falls back to legacy error parsing.
  'access-control-expose-headers': 'x-supabase-api-version',
};

const nowSec = () => Math.floor(Date.now() / 1000);
const iso = () => new Date().toISOString();
const randomToken = () => randomBytes(16).toString('hex');

export async function startFakeGoTrue(options: FakeGoTrueOptions = {}): Promise<FakeGoTrue> {
  const { signing = 'HS256', expiresIn = 3600, autoconfirm = true } = options;
  if (signing === 'HS256' && !options.jwtSecret) throw new Error('fake-gotrue: HS256 needs jwtSecret');
  const secret = new TextEncoder().encode(options.jwtSecret ?? '');
  let es: { kid: string; privateKey: CryptoKey; publicKey: CryptoKey; jwk: JWK } | undefined;
  if (signing === 'ES256') {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const { kty, crv, x, y } = await exportJWK(publicKey);
    // Shaped like GoTrue's JWKS. auth-js getClaims() imports it with crypto.subtle.importKey(..., extractable=true, ['verify']),
    // so `ext` must not be false and key_ops must allow verify.
    es = { kid: randomUUID(), privateKey, publicKey, jwk: { kty, crv, x, y, alg: 'ES256', use: 'sig', key_ops: ['verify'], ext: true } };
  }

  const anonKey = 'sb_publishable_fake_gotrue_anon_key';
  const requests: FakeGoTrue['requests'] = [];
  const users = new Map<string, User>(); // by id
  const sessions = new Map<string, Session>();
  const refreshTokens = new Map<string, { sessionId: string; used: boolean }>();
  const links = new Map<string, Link>(); // token → link (single use)
  const lastLink = new Map<string, string>(); // email → link URL
  const authCodes = new Map<string, { userId: string; amr: string; pkce: Pkce }>();
  const issued: string[] = [];
  let refreshCount = 0;
  let url = '';
  let issuer = '';

  const byEmail = (email: string) => [...users.values()].find((u) => u.email === email.toLowerCase());
  const createUser = (email: string, provider: string, password?: string, confirmed = true): User => {
    const user: User = {
      id: randomUUID(), email: email.toLowerCase(), password, confirmedAt: confirmed ? iso() : null,
      appMetadata: { provider, providers: [provider] }, userMetadata: {}, createdAt: iso(),
    };
    users.set(user.id, user);
    return user;
  };
  const userJson = (u: User) => ({
    id: u.id, aud: 'authenticated', role: 'authenticated', email: u.email,
    email_confirmed_at: u.confirmedAt ?? undefined, confirmed_at: u.confirmedAt ?? undefined,
    ...(u.confirmationSentAt ? { confirmation_sent_at: u.confirmationSentAt } : {}),
    phone: '', app_metadata: u.appMetadata, user_metadata: u.userMetadata, identities: [],
    created_at: u.createdAt, updated_at: u.createdAt, is_anonymous: false,
  });

  /** Mints an access token + a fresh refresh token for a session (GoTrue keeps session_id across refreshes). */
  async function tokens(session: Session) {
    const user = users.get(session.userId)!;
    const now = nowSec();
    const claims = {
      email: user.email, phone: '', session_id: session.id, app_metadata: user.appMetadata, user_metadata: user.userMetadata,
      role: 'authenticated', aal: 'aal1', amr: [{ method: session.amr, timestamp: session.authTime }], is_anonymous: false,
      // Not in GoTrue's tokens: keeps two tokens minted in the same second (e.g. sign-in then refresh) distinct.
      jti: randomUUID(),
    };
    const jwt = new SignJWT(claims).setSubject(user.id).setAudience('authenticated').setIssuer(issuer).setIssuedAt(now).setExpirationTime(now + expiresIn);
    const access_token = es
      ? await jwt.setProtectedHeader({ alg: 'ES256', kid: es.kid, typ: 'JWT' }).sign(es.privateKey)
      : await jwt.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
    issued.push(access_token);
    const refresh_token = randomToken();
    refreshTokens.set(refresh_token, { sessionId: session.id, used: false });
    return { access_token, token_type: 'bearer', expires_in: expiresIn, expires_at: now + expiresIn, refresh_token, user: userJson(user) };
  }
  function newSession(user: User, amr: string) {
    const session: Session = { id: randomUUID(), userId: user.id, amr, authTime: nowSec(), active: true };
    sessions.set(session.id, session);
    return tokens(session);
  }

  /** The Bearer token's session, if the token verifies and the session has not logged out. */
  async function authenticate(req: http.IncomingMessage): Promise<{ user: User; session: Session }> {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new ApiError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, es ? es.publicKey : secret, { issuer, audience: 'authenticated' }));
    } catch (e) {
      throw new ApiError(401, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${(e as Error).message}`);
    }
    const session = sessions.get(String(payload.session_id));
    const user = session && users.get(session.userId);
    // Code session_not_found makes auth-js raise AuthSessionMissingError and drop its stored session.
    if (!session?.active || !user) throw new ApiError(401, 'session_not_found', 'Session from session_id claim in JWT does not exist');
    return { user, session };
  }

  const pkceOf = (challenge: unknown, method: unknown): Pkce | undefined =>
    typeof challenge === 'string' && challenge ? { challenge, method: String(method ?? 's256').toLowerCase() } : undefined;

  function sendLink(email: string, type: Link['type'], redirectTo: string | undefined, pkce: Pkce | undefined) {
    const token = randomToken();
    links.set(token, { email, type, redirectTo, pkce });
    const q = new URLSearchParams({ token, type, ...(redirectTo ? { redirect_to: redirectTo } : {}) });
    lastLink.set(email.toLowerCase(), `${issuer}/verify?${q}`);
  }

  /** Ends a browser login (/verify, /authorize) like GoTrue: `?code=` for PKCE, tokens in the fragment otherwise. */
  async function loginRedirect(user: User, amr: string, type: string | undefined, redirectTo: string | undefined, pkce: Pkce | undefined) {
    const target = safeUrl(redirectTo) ?? new URL(`${url}/`);
    if (pkce) {
      const code = randomUUID();
      authCodes.set(code, { userId: user.id, amr, pkce });
      target.searchParams.set('code', code);
    } else {
      const s = await newSession(user, amr);
      target.hash = new URLSearchParams({
        access_token: s.access_token, expires_at: String(s.expires_at), expires_in: String(s.expires_in),
        refresh_token: s.refresh_token, token_type: 'bearer', ...(type ? { type } : {}),
      }).toString();
    }
    return target.toString();
  }

  async function route(req: http.IncomingMessage, path: string, query: Record<string, string>, body: Record<string, unknown>): Promise<{ status: number; json?: unknown; location?: string }> {
    const op = `${req.method} ${path.slice(AUTH.length)}`;
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    switch (op) {
      case 'POST /signup': {
        const email = str(body.email), password = str(body.password);
        if (!email || !password) throw new ApiError(400, 'validation_failed', 'Signup requires a valid password');
        if (password.length < 6) throw new ApiError(422, 'weak_password', 'Password should be at least 6 characters.', { weak_password: { reasons: ['length'] } });
        if (byEmail(email)) throw new ApiError(422, 'user_already_exists', 'User already registered');
        const user = createUser(email, 'email', password, autoconfirm);
        if (body.data && typeof body.data === 'object') user.userMetadata = { ...(body.data as object) };
        if (autoconfirm) return { status: 200, json: await newSession(user, 'password') };
        user.confirmationSentAt = iso();
        sendLink(user.email, 'signup', query.redirect_to, pkceOf(body.code_challenge, body.code_challenge_method));
        return { status: 200, json: userJson(user) }; // GoTrue answers with the bare user here, no session
      }
      case 'POST /token':
        return { status: 200, json: await grant(query.grant_type, body) };
      case 'POST /otp': {
        const email = str(body.email);
        if (!email) throw new ApiError(400, 'validation_failed', 'An email address is required');
        let user = byEmail(email);
        if (!user && body.create_user === false) throw new ApiError(422, 'otp_disabled', 'Signups not allowed for otp');
        user ??= createUser(email, 'email', undefined, false);
        if (body.data && typeof body.data === 'object') user.userMetadata = { ...user.userMetadata, ...(body.data as object) };
        sendLink(user.email, 'magiclink', query.redirect_to, pkceOf(body.code_challenge, body.code_challenge_method));
        return { status: 200, json: {} };
      }
      case 'GET /verify': {
        const link = links.get(query.token ?? '');
        links.delete(query.token ?? ''); // single use
        const user = link && byEmail(link.email);
        if (!link || !user) {
          const target = safeUrl(query.redirect_to) ?? new URL(`${url}/`);
          target.hash = new URLSearchParams({ error: 'access_denied', error_code: 'otp_expired', error_description: 'Email link is invalid or has expired' }).toString();
          return { status: 303, location: target.toString() };
        }
        user.confirmedAt ??= iso();
        return { status: 303, location: await loginRedirect(user, 'otp', link.type, link.redirectTo ?? query.redirect_to, link.pkce) };
      }
      case 'GET /authorize': {
        // A provider that consents at once. `skip_http_redirect=true` (sent by supabase-js with skipBrowserRedirect) would make
        // GoTrue answer JSON {url}; we redirect anyway so fetching the URL from signInWithOAuth completes the login.
        const provider = query.provider;
        if (!provider) throw new ApiError(400, 'validation_failed', 'Unsupported provider: missing provider');
        const email = `${provider}-user@example.test`;
        const user = byEmail(email) ?? createUser(email, provider);
        if (!user.appMetadata.providers.includes(provider)) user.appMetadata.providers.push(provider);
        const location = await loginRedirect(user, 'oauth', undefined, query.redirect_to, pkceOf(query.code_challenge, query.code_challenge_method));
        return { status: 302, location };
      }
      case 'GET /user':
        return { status: 200, json: userJson((await authenticate(req)).user) };
      case 'POST /logout': {
        const { session } = await authenticate(req);
        const scope = query.scope ?? 'global';
        for (const s of sessions.values()) {
          if (s.userId !== session.userId) continue;
          const isThis = s.id === session.id;
          if (scope === 'global' || (scope === 'local' && isThis) || (scope === 'others' && !isThis)) s.active = false;
        }
        return { status: 204 };
      }
      case 'GET /.well-known/jwks.json':
        return { status: 200, json: { keys: es ? [{ ...es.jwk, kid: es.kid }] : [] } };
      case 'GET /settings':
        return { status: 200, json: {
          external: { anonymous_users: false, email: true, phone: false, github: true, google: true, gitlab: true, apple: false, azure: false },
          disable_signup: false, mailer_autoconfirm: autoconfirm, phone_autoconfirm: false, sms_provider: '', saml_enabled: false,
        } };
      default:
        throw new ApiError(404, 'not_found', 'Not Found');
    }
  }

  async function grant(type: string | undefined, body: Record<string, unknown>) {
    if (type === 'password') {
      const user = byEmail(String(body.email ?? ''));
      if (!user?.password || user.password !== body.password) throw new ApiError(400, 'invalid_credentials', 'Invalid login credentials');
      if (!user.confirmedAt) throw new ApiError(400, 'email_not_confirmed', 'Email not confirmed');
      return newSession(user, 'password');
    }
    if (type === 'refresh_token') {
      const entry = refreshTokens.get(String(body.refresh_token ?? ''));
      const session = entry && sessions.get(entry.sessionId);
      if (!entry || !session?.active) throw new ApiError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      // Strict rotation (GoTrue tolerates reuse for ~10 s; tests want the old token dead at once).
      // auth-js treats both this code and refresh_token_not_found as "session is gone".
      if (entry.used) throw new ApiError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
      entry.used = true;
      refreshCount += 1;
      return tokens(session);
    }
    if (type === 'pkce') {
      const code = String(body.auth_code ?? '');
      const flow = authCodes.get(code);
      if (!flow) throw new ApiError(400, 'flow_state_not_found', 'invalid flow state, no valid flow state found');
      const verifier = String(body.code_verifier ?? '');
      const expected = flow.pkce.method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
      if (expected !== flow.pkce.challenge) throw new ApiError(400, 'bad_code_verifier', 'code challenge does not match previously saved code verifier');
      authCodes.delete(code);
      return newSession(users.get(flow.userId)!, flow.amr);
    }
    throw new ApiError(400, 'unsupported_grant_type', 'unsupported_grant_type');
  }

  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(u.searchParams);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    let body: unknown;
    let badJson = false;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      badJson = true;
    }
    requests.push({ method: req.method ?? 'GET', path: u.pathname, query, body });
    const headers: Record<string, string> = { ...CORS, 'x-supabase-api-version': API_VERSION };
    const send = (status: number, json?: unknown) => {
      if (json !== undefined) headers['content-type'] = 'application/json';
      res.writeHead(status, headers).end(json === undefined ? undefined : JSON.stringify(json));
    };
    if (req.method === 'OPTIONS') return send(204);
    // The gateway's (Kong's) answers, not GoTrue's: plain {message}.
    const key = req.headers.apikey ?? query.apikey;
    if (!OPEN_ROUTES.has(u.pathname) && !key) return send(401, { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
    if (!OPEN_ROUTES.has(u.pathname) && key !== anonKey) return send(401, { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' });
    try {
      if (badJson) throw new ApiError(400, 'bad_json', 'Could not parse request body as JSON');
      if (!u.pathname.startsWith(`${AUTH}/`)) throw new ApiError(404, 'not_found', 'Not Found');
      const out = await route(req, u.pathname, query, (body ?? {}) as Record<string, unknown>);
      if (out.location) headers.location = out.location;
      send(out.status, out.json);
    } catch (e) {
      if (!(e instanceof ApiError)) return send(500, { code: 500, error_code: 'unexpected_failure', msg: String(e) });
      // GoTrue's two error shapes: since API version 2024-01-01 (which auth-js always requests) `code` is the string code;
      // before it, `code` is the HTTP status and the string is in `error_code`. Either way auth-js shows `msg`.
      const v = String(req.headers['x-supabase-api-version'] ?? '');
      const shape = /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= API_VERSION ? { code: e.code } : { code: e.status, error_code: e.code };
      send(e.status, { ...shape, msg: e.message, ...e.extra });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${url}${AUTH}`;

  return {
    url,
    issuer,
    anonKey,
    requests,
    addUser(email, password) {
      if (byEmail(email)) throw new Error(`fake-gotrue: ${email} exists`);
      return createUser(email, 'email', password).id;
    },
    users: () => [...users.values()].map((u) => ({ id: u.id, email: u.email })),
    magicLink: (email) => lastLink.get(email.toLowerCase()),
    refreshes: () => refreshCount,
    issuedAccessTokens: () => [...issued],
    close: () => new Promise<void>((r) => {
      server.closeAllConnections(); // browsers keep connections alive; close() alone would wait for them
      server.close(() => r());
    }),
  };
}

/** GoTrue falls back to its site URL when redirect_to is missing or unusable. */
const safeUrl = (s: string | undefined): URL | undefined => (s && URL.canParse(s) ? new URL(s) : undefined);
