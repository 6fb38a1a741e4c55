/**
 * The library (search over public stories, your own stories renamed, made public and deleted) and
 * the settings screen (a narrator model from the server's list, saved and used by the server).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { clientFor, startWebServer, unwrap } from './support/web-server.js';

const INK = (title: string) => `# title: ${title}\nA bell tolls somewhere.\n* [Listen] -> END\n`;

describe.skipIf(!hasChromium)(hasChromium ? 'web client: library and settings' : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const token = () => page.evaluate<string>("localStorage.getItem('md.token')");
  const api = async () => clientFor(server, await token()).api;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer({ ALLOWED_MODELS: 'offline:offline-narrator,offline:offline-terse' }), launchChromium()]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' })).newPage();
    errors = collectPageErrors(page);
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    const client = await api();
    for (const title of ['雾中的灯塔', 'The Bell Tower']) await unwrap(client.POST('/api/stories', { body: { title, source: INK(title) } }));
    await page.reload();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  it('searches public stories, renames one of yours, makes it public, and deletes one', async () => {
    const mine = page.getByRole('region', { name: 'Your stories' });
    const browse = page.getByRole('region', { name: 'Stories to play' });
    await mine.getByRole('link', { name: '雾中的灯塔' }).waitFor();
    // Private stories are not among the public ones.
    await browse.locator('.story-card').first().waitFor();
    expect(await browse.getByRole('link', { name: /The Bell Tower/ }).count()).toBe(0);

    // While renamed, the title is in a text box: the row is found by its story's id.
    const id = await mine.locator('li.my-story', { hasText: 'The Bell Tower' }).getAttribute('data-story-id');
    const row = mine.locator(`li.my-story[data-story-id="${id}"]`);
    await row.getByRole('button', { name: 'Rename' }).click();
    await row.getByRole('textbox', { name: 'New title' }).fill('The Drowned Bell');
    await row.getByRole('button', { name: 'Save' }).click();
    const renamed = mine.locator('li.my-story', { hasText: 'The Drowned Bell' });
    await renamed.waitFor();
    await renamed.getByRole('button', { name: 'Make public' }).click();
    await mine.locator('li.my-story', { hasText: 'The Drowned Bell' }).getByText('Public', { exact: true }).waitFor();

    // Now public: the search finds it by part of its title, case-insensitive; the CJK one is still private.
    const search = browse.getByRole('searchbox', { name: 'Search titles' });
    await search.fill('drowned');
    await browse.getByRole('link', { name: /The Drowned Bell/ }).waitFor();
    await expect.poll(() => browse.locator('.story-card').count()).toBe(1);
    await search.fill('灯塔');
    await browse.getByText('No story title contains “灯塔”.').waitFor();
    await screenshot(page, 'library-search');

    const doomed = mine.locator('li.my-story', { hasText: '雾中的灯塔' });
    await doomed.getByRole('button', { name: 'Delete' }).click();
    await doomed.getByRole('button', { name: 'Really delete' }).click();
    await expect.poll(() => mine.locator('li.my-story').count()).toBe(1);
    const left = await unwrap((await api()).GET('/api/stories', { params: { query: { scope: 'mine' } } }));
    expect(left.stories.map((s) => [s.title, s.visibility])).toEqual([['The Drowned Bell', 'public']]);
    expect(errors).toEqual([]);
  });

  it('saves a narrator model from the server’s list in the settings screen', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings$/);
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const model = page.getByRole('combobox', { name: 'Narrator model' });
    expect(await model.locator('option').allTextContents()).toEqual(['The server’s narrator', 'offline:offline-narrator', 'offline:offline-terse']);
    await model.selectOption('offline:offline-terse');
    await page.getByRole('combobox', { name: 'Passage length' }).selectOption('short');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    // Provider keys are off on this server (no PROVIDER_KEY_SECRET), and the screen says so.
    await page.getByText('This server does not store provider keys.').waitFor();
    await screenshot(page, 'settings');
    const saved = await unwrap((await api()).GET('/api/me/settings'));
    expect({ model: saved.narrator_model, length: saved.passage_length }).toEqual({ model: 'offline:offline-terse', length: 'short' });
    // After a reload the screen shows what was saved.
    await page.reload();
    await expect.poll(() => page.getByRole('combobox', { name: 'Narrator model' }).inputValue()).toBe('offline:offline-terse');
    expect(errors).toEqual([]);
  });
});
