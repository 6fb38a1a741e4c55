/**
 * Export, import and share in the web client against a real server: the owner downloads the
 * session as JSON and imports it back (a new session opens), shares a read-only link, and someone
 * with no account (a fresh browser context that never signs in, not even as a guest) reads the
 * transcript at /s/:token; once the owner revokes the link, that page says it is gone.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { clientFor, startWebServer, unwrap } from './support/web-server.js';

describe.skipIf(!hasChromium)(hasChromium ? 'web client: export, import and share' : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let errors: string[];
  let link = '';
  let sessionId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer({ OFFLINE_CHUNK_DELAY_MS: '0' }), launchChromium()]);
    owner = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    page = await owner.newPage();
    errors = collectPageErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  const token = () => page.evaluate<string>("localStorage.getItem('md.token')");

  it('the owner downloads the session as JSON and imports it as a new session', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    const drama = clientFor(server, await token());
    const stories = (await unwrap(drama.api.GET('/api/stories'))).stories;
    const started = await unwrap(drama.api.POST('/api/sessions', { body: { story_id: stories[0]!.id } }));
    sessionId = started.session_id;
    await page.goto(`${server.url}/play/${sessionId}`);
    await page.getByRole('tab', { name: 'Export & share' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.session\.json$/);
    const file = await download.path();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ format: 'mock-drama.session', version: 1 });

    await page.goto(`${server.url}/sessions`);
    await page.getByText('Import a session…').waitFor();
    await page.locator('.import-session input[type=file]').setInputFiles(file);
    await page.waitForURL((url) => url.pathname.startsWith('/play/') && !url.pathname.endsWith(sessionId));
    await page.locator('article.turn[data-turn="0"]').waitFor();
  });

  it('shares a link that someone with no account reads at /s/:token', async () => {
    await page.goto(`${server.url}/play/${sessionId}`);
    await page.getByRole('tab', { name: 'Export & share' }).click();
    await page.getByRole('button', { name: 'Create a link' }).click();
    const field = page.getByLabel('Link');
    await field.waitFor();
    link = await field.inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/s/sh_[A-Za-z0-9_-]{32}$`));
    await screenshot(page, 'share-panel');

    const stranger = await browser.newContext({ locale: 'en-US' });
    const reader = await stranger.newPage();
    const readerErrors = collectPageErrors(reader);
    // No sign-in at all on a shared page: a guest token request would fail the test.
    let signIns = 0;
    await reader.route('**/api/auth/guest', (route) => {
      signIns += 1;
      return route.abort();
    });
    await reader.goto(link);
    await reader.getByText('Shared story (read-only)').waitFor();
    await reader.locator('.shared-turn').first().waitFor();
    expect(await reader.locator('.shared-turn').count()).toBeGreaterThanOrEqual(1);
    expect(await reader.evaluate("localStorage.getItem('md.token')")).toBeNull();
    expect(signIns).toBe(0);
    await screenshot(reader, 'shared-transcript');

    await page.getByRole('button', { name: 'Revoke the link' }).click();
    await page.getByText('The link no longer works.').waitFor();
    await reader.reload();
    await reader.getByText('This shared link does not exist or was revoked.').waitFor();
    expect(readerErrors.filter((e) => !/404/.test(e))).toEqual([]);
    await stranger.close();
  });

  it('logged no page errors', () => {
    expect(errors).toEqual([]);
  });
});
