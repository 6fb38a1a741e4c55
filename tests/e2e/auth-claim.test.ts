/**
 * POST /api/auth/claim against a listening server, on PGlite and on PostgreSQL: a player who
 * played as a guest signs in (a Supabase-shaped account token) and keeps the guest's sessions,
 * stories and API keys; claiming again moves nothing; everything that is not a claim is refused
 * with the right status and leaves ownership as it was.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { startFakeIdp, type FakeIdp } from '../support/jwt-issuer.js';
import { dbTargets } from '../support/test-env.js';

const JWT_SECRET = 'claim-guest-secret-claim-guest-secret-0123';
const SUPABASE_SECRET = 'claim-supabase-secret-claim-supabase-0123456';

describe.each(dbTargets())('POST /api/auth/claim [$name]', (target) => {
  let server: RunningServer;
  let idp: FakeIdp;
  let storyId: string;
  const account = async () => {
    const sub = crypto.randomUUID();
    const token = await idp.signHs256({ sub, extra: { email: `${sub}@example.test` } }, SUPABASE_SECRET);
    return { sub, token, call: api(server.url, token) };
  };
  /** A guest who played: one session, one uploaded story, one API key. */
  const guestWhoPlayed = async (slug?: string) => {
    const res = await fetch(`${server.url}/api/auth/guest`, { method: 'POST' });
    expect(res.status).toBe(200);
    const { token, user_id: userId } = (await res.json()) as { token: string; user_id: string };
    const call = api(server.url, token);
    const session = await call('POST', '/api/sessions', { story_id: storyId });
    expect(session.status).toBe(201);
    const story = await call('POST', '/api/stories', { title: 'Guest tale', ...(slug ? { slug } : {}), source: 'A guest wrote this.\n* [Go] -> END\n' });
    expect(story.status).toBe(201);
    const key = await call('POST', '/api/keys', { name: 'guest key' });
    expect(key.status).toBe(201);
    return { token, userId, call, sessionId: session.body.session_id as string, storyId: story.body.id as string, key: key.body.key as string };
  };

  beforeAll(async () => {
    idp = await startFakeIdp();
    server = await startServer(
      target.env({ JWT_SECRET, SUPABASE_URL: idp.url, SUPABASE_JWT_SECRET: SUPABASE_SECRET, GUEST_AUTH: 'on', STORIES_DIR: 'tests/fixtures' }),
      silentLogger(),
    );
    const { call } = await account();
    storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await idp?.close();
    await target.cleanup();
  });

  it("moves the guest's sessions, stories and API keys to the account, and only once", async () => {
    const guest = await guestWhoPlayed();
    const me = await account();
    const claimed = await me.call('POST', '/api/auth/claim', { guest_token: guest.token });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ guest_user_id: guest.userId, moved: true, sessions: 1, stories: 1, api_keys: 1 });

    // The account has it all: the session (playable), the story, the key (which now acts as the account).
    expect((await me.call('GET', '/api/sessions')).body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([guest.sessionId]);
    expect((await me.call('GET', `/api/sessions/${guest.sessionId}`)).status).toBe(200);
    const played = await me.call('POST', '/api/story/action', { session_id: guest.sessionId, user_input: 'I look around' });
    expect(played.status).toBe(202);
    expect((await me.call('GET', `/api/stories/${guest.storyId}`)).status).toBe(200);
    expect((await me.call('GET', '/api/keys')).body.keys).toHaveLength(1);
    const byKey = await api(server.url, guest.key)('GET', '/api/sessions');
    expect(byKey.body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([guest.sessionId]);
    // …and the guest has nothing left.
    expect((await guest.call('GET', `/api/sessions/${guest.sessionId}`)).status).toBe(404);
    expect((await guest.call('GET', '/api/sessions')).body.sessions).toEqual([]);

    // Again: nothing moves, the answer is the first claim's.
    const again = await me.call('POST', '/api/auth/claim', { guest_token: guest.token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ moved: false, sessions: 1, stories: 1, api_keys: 1, claimed_at: claimed.body.claimed_at });
    // What the guest starts after the claim stays the guest's: a claim is a one-time move.
    const later = await guest.call('POST', '/api/sessions', { story_id: storyId });
    expect((await me.call('POST', '/api/auth/claim', { guest_token: guest.token })).body.moved).toBe(false);
    expect((await guest.call('GET', `/api/sessions/${later.body.session_id}`)).status).toBe(200);
  });

  it("keeps the account's own story slug and gives the guest's a suffixed one", async () => {
    const me = await account();
    const mine = await me.call('POST', '/api/stories', { title: 'Same slug', slug: 'same-slug', source: 'Mine.\n* [Go] -> END\n' });
    const guest = await guestWhoPlayed('same-slug');
    expect((await me.call('POST', '/api/auth/claim', { guest_token: guest.token })).status).toBe(200);
    const slugs = (await me.call('GET', '/api/stories')).body.stories.filter((s: { owner_id?: string; id: string }) => [mine.body.id, guest.storyId].includes(s.id));
    const bySlug = Object.fromEntries(slugs.map((s: { id: string; slug: string }) => [s.id, s.slug]));
    expect(bySlug[mine.body.id]).toBe('same-slug');
    expect(bySlug[guest.storyId]).toBe(`same-slug-${guest.storyId.slice(0, 8)}`);
  });

  it('refuses what is not a claim, and moves nothing', async () => {
    const guest = await guestWhoPlayed();
    const me = await account();
    const other = await account();
    const claim = (call: ReturnType<typeof api>, body: unknown) => call('POST', '/api/auth/claim', body);

    expect((await fetch(`${server.url}/api/auth/claim`, { method: 'POST', body: JSON.stringify({ guest_token: guest.token }), headers: { 'content-type': 'application/json' } })).status).toBe(401);
    const notAToken = await claim(me.call, { guest_token: 'not-a-token' });
    expect(notAToken.status).toBe(400);
    expect(notAToken.body.error.code).toBe('guest_token_invalid');
    // An account's token is not a guest token, nor one signed with another secret, nor an expired one.
    expect((await claim(me.call, { guest_token: other.token })).body.error.code).toBe('guest_token_invalid');
    const forged = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(guest.userId)
      .setAudience('authenticated')
      .setIssuer('mock-drama')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-secret-some-other-secret-0123'));
    expect((await claim(me.call, { guest_token: forged })).body.error.code).toBe('guest_token_invalid');
    const expired = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(guest.userId)
      .setAudience('authenticated')
      .setIssuer('mock-drama')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    expect((await claim(me.call, { guest_token: expired })).body.error.code).toBe('guest_token_invalid');
    expect((await claim(me.call, {})).status).toBe(400);
    // A guest cannot claim a guest, nor can an API key.
    const otherGuest = await guestWhoPlayed();
    expect((await claim(otherGuest.call, { guest_token: guest.token })).status).toBe(403);
    expect((await claim(api(server.url, otherGuest.key), { guest_token: guest.token })).status).toBe(403);

    expect((await guest.call('GET', `/api/sessions/${guest.sessionId}`)).status).toBe(200);
    expect((await me.call('GET', '/api/sessions')).body.sessions).toEqual([]);

    // Once claimed, the guest is that account's: another account gets 409 and nothing.
    expect((await claim(me.call, { guest_token: guest.token })).status).toBe(200);
    const taken = await claim(other.call, { guest_token: guest.token });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('guest_claimed');
    expect((await other.call('GET', '/api/sessions')).body.sessions).toEqual([]);
  });

  it('two claims of one guest at once: exactly one moves it', async () => {
    const guest = await guestWhoPlayed();
    const me = await account();
    const other = await account();
    const same = await Promise.all([1, 2, 3].map(() => me.call('POST', '/api/auth/claim', { guest_token: guest.token })));
    expect(same.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(same.filter((r) => r.body.moved)).toHaveLength(1);
    const guest2 = await guestWhoPlayed();
    const rivals = await Promise.all([me, other].map((a) => a.call('POST', '/api/auth/claim', { guest_token: guest2.token })));
    expect(rivals.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, { post?: { responses: object } }> };
    expect(Object.keys(doc.paths['/api/auth/claim']?.post?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '409', '413']);
  });
});
