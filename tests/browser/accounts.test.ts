/**
 * Accounts in the web client, in Chromium, through the real supabase-js against a fake Supabase
 * Auth HTTP server (tests/support/fake-gotrue.ts): sign-up, sign-out, password sign-in (and a wrong
 * password), a magic link, OAuth, a session that survives a reload and is refreshed before it
 * expires, a guest's play kept at sign-in, the guest button only when guests are on, and tokens
 * signed with asymmetric keys (JWKS) as well as the HS256 secret.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { startFakeGoTrue, type FakeGoTrue } from '../support/fake-gotrue.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { clientFor, startWebServer, unwrap } from './support/web-server.js';

const SUPABASE_SECRET = 'browser-supabase-secret-browser-supabase-0123';

/** Web server env for a Supabase project at `gotrue`. */
const supabaseEnv = (gotrue: FakeGoTrue, extra: Record<string, string> = {}) => ({
  SUPABASE_URL: gotrue.url,
  SUPABASE_ANON_KEY: gotrue.anonKey,
  SUPABASE_OAUTH_PROVIDERS: 'github',
  ...extra,
});

describe.skipIf(!hasChromium)(hasChromium ? 'web client: accounts' : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let browser: Browser;
  let gotrue: FakeGoTrue;
  let server: RunningServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    gotrue = await startFakeGoTrue({ jwtSecret: SUPABASE_SECRET });
    [server, browser] = await Promise.all([startWebServer(supabaseEnv(gotrue, { SUPABASE_JWT_SECRET: SUPABASE_SECRET, GUEST_AUTH: 'on' })), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.shutdown();
    await gotrue?.close();
  });

  async function freshPage(locale = 'en-US'): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale });
    contexts.push(context);
    const page = await context.newPage();
    return { page, errors: collectPageErrors(page) };
  }
  const email = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const signInScreen = (page: Page) => page.getByRole('heading', { name: 'Sign in to play' });
  const signedInAs = (page: Page, who: string) => page.getByText(`Signed in as ${who}`);
  const fill = async (page: Page, address: string, password?: string) => {
    await page.getByLabel('Email').fill(address);
    if (password !== undefined) await page.getByLabel('Password').fill(password);
  };
  /** The bearer tokens the page sent to our API. */
  const apiTokens = (page: Page): string[] => {
    const seen: string[] = [];
    page.on('request', async (req) => {
      const auth = (await req.allHeaders()).authorization;
      if (new URL(req.url()).pathname.startsWith('/api/') && auth) seen.push(auth.replace(/^Bearer /, ''));
    });
    return seen;
  };

  it('signs up, signs out, refuses a wrong password, signs in, and stays signed in across a reload', async () => {
    const { page, errors } = await freshPage();
    const address = email('reader');
    await page.goto(`${server.url}/`);
    await signInScreen(page).waitFor();
    await page.getByRole('button', { name: 'Play as a guest' }).waitFor();
    await page.getByRole('button', { name: 'Continue with GitHub' }).waitFor();
    await screenshot(page, 'sign-in');

    await fill(page, address, 'correct horse');
    await page.getByRole('button', { name: 'Create account' }).click();
    await signedInAs(page, address).waitFor();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await page.getByRole('link', { name: /The Last Light on Gull Rock/ }).waitFor();
    const userId = gotrue.users().find((u) => u.email === address)!.id;

    // The library came from our API with the account's token: the server knows this user.
    const token = gotrue.issuedAccessTokens().at(-1)!;
    const sessions = await unwrap(clientFor(server, token).api.GET('/api/sessions'));
    expect(sessions.sessions).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInScreen(page).waitFor();
    expect(gotrue.requests.some((r) => r.path === '/auth/v1/logout')).toBe(true);

    await fill(page, address, 'wrong horse');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('Invalid login credentials').waitFor();

    await fill(page, address, 'correct horse');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signedInAs(page, address).waitFor();
    await page.reload();
    await signedInAs(page, address).waitFor();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    expect(gotrue.users().find((u) => u.email === address)!.id).toBe(userId);
    expect(errors).toEqual([]);
  });

  it('signs in with a magic link, and with an OAuth provider', async () => {
    const { page, errors } = await freshPage();
    const address = email('linked');
    await page.goto(`${server.url}/sessions`);
    await signInScreen(page).waitFor();
    await fill(page, address);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('status').getByText(`Check ${address}`).waitFor();
    const link = gotrue.magicLink(address);
    expect(link).toBeDefined();
    // "Clicking the link in the email": the provider sends the player back with a one-time code.
    await page.goto(link!);
    await signedInAs(page, address).waitFor();
    await page.getByRole('heading', { name: 'My sessions' }).waitFor();
    expect(new URL(page.url()).searchParams.has('code'), 'the code is gone from the address bar').toBe(false);

    const { page: other } = await freshPage();
    await other.goto(`${server.url}/`);
    await other.getByRole('button', { name: 'Continue with GitHub' }).click();
    await signedInAs(other, 'github-user@example.test').waitFor();
    await other.getByRole('heading', { name: 'Library' }).waitFor();
    expect(errors).toEqual([]);
  });

  it("keeps a guest's play when the guest signs in", async () => {
    const { page, errors } = await freshPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Play as a guest' }).click();
    await page.getByRole('link', { name: /The Last Light on Gull Rock/ }).click();
    await page.getByRole('button', { name: 'Begin a new session' }).click();
    await page.waitForURL(/\/play\//);
    const sessionId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByText('Guest', { exact: true }).waitFor();

    await page.getByRole('link', { name: 'Sign in' }).click();
    await signInScreen(page).waitFor();
    const address = email('former-guest');
    await fill(page, address, 'from a guest');
    await page.getByRole('button', { name: 'Create account' }).click();
    await signedInAs(page, address).waitFor();
    await page.getByRole('status').getByText('What you played as a guest is now in your account: 1 sessions, 0 stories.').waitFor();
    expect(await page.evaluate<string | null>("localStorage.getItem('md.token')"), 'the guest token is forgotten').toBeNull();

    await page.getByRole('link', { name: 'My sessions' }).click();
    await page.locator(`a[href="/play/${sessionId}"]`).first().waitFor();
    const token = gotrue.issuedAccessTokens().at(-1)!;
    const mine = await unwrap(clientFor(server, token).api.GET('/api/sessions'));
    expect(mine.sessions.map((s) => s.session_id)).toEqual([sessionId]);
    expect(errors).toEqual([]);
  });

  it('refreshes the session before it expires and calls the API with the new token', async () => {
    const shortLived = await startFakeGoTrue({ jwtSecret: SUPABASE_SECRET, expiresIn: 60 });
    const shortServer = await startWebServer(supabaseEnv(shortLived, { SUPABASE_JWT_SECRET: SUPABASE_SECRET }));
    try {
      const { page, errors } = await freshPage();
      const sent = apiTokens(page);
      const address = email('refreshed');
      shortLived.addUser(address, 'short lived');
      // supabase-js checks the session every 30 s: the page's clock is ours to move on.
      await page.clock.install();
      await page.goto(`${shortServer.url}/`);
      await fill(page, address, 'short lived');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await signedInAs(page, address).waitFor();
      expect(shortLived.refreshes()).toBe(0);
      // At its next check the minute-long token is within supabase-js's refresh margin (90 s).
      await page.clock.fastForward(31_000);
      await expect.poll(() => shortLived.refreshes(), { timeout: 20_000 }).toBeGreaterThan(0);
      // The page keeps a token issued by a refresh (the clock jump may let supabase-js refresh more than once).
      const signInToken = shortLived.issuedAccessTokens()[0]!;
      const stored = () => page.evaluate<string>("JSON.parse(localStorage.getItem('md.supabase') ?? '{}').access_token");
      await expect.poll(async () => { const t = await stored(); return t !== signInToken && shortLived.issuedAccessTokens().includes(t); }).toBe(true);
      await page.getByRole('link', { name: 'My sessions' }).click();
      await page.getByRole('heading', { name: 'My sessions' }).waitFor();
      // Which refresh's token it is depends on how many refreshes the clock jump let run; any of them will do.
      const issuedByRefresh = (t: string | undefined) => t !== undefined && t !== signInToken && shortLived.issuedAccessTokens().includes(t);
      await expect.poll(() => issuedByRefresh(sent.at(-1))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await shortServer.shutdown();
      await shortLived.close();
    }
  });

  it('with asymmetric keys (JWKS) and guests off: accounts only, in Chinese too', async () => {
    const jwks = await startFakeGoTrue({ signing: 'ES256' });
    const jwksServer = await startWebServer(supabaseEnv(jwks, { SUPABASE_OAUTH_PROVIDERS: '' }));
    try {
      const { page, errors } = await freshPage('zh-CN');
      await page.goto(`${jwksServer.url}/`);
      await page.getByRole('heading', { name: '登录后开始游戏' }).waitFor();
      expect(await page.getByRole('button', { name: '以访客身份游玩' }).count(), 'no guest button when guests are off').toBe(0);
      expect(await page.getByRole('button', { name: /使用 .* 继续/ }).count(), 'no provider buttons when none is listed').toBe(0);
      await screenshot(page, 'sign-in-zh');
      const address = email('jwks');
      await page.getByLabel('邮箱').fill(address);
      await page.getByLabel('密码').fill('elliptic curve');
      await page.getByRole('button', { name: '注册账号' }).click();
      await page.getByText(`已登录：${address}`).waitFor();
      await page.getByRole('heading', { name: '故事库' }).waitFor();
      await page.getByRole('link', { name: /Gull Rock|灯塔/ }).first().waitFor();
      expect(jwks.requests.some((r) => r.path === '/auth/v1/.well-known/jwks.json'), 'our server fetched the key set').toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await jwksServer.shutdown();
      await jwks.close();
    }
  });
});
