/**
 * The story editor with several files: files opened from disk together, compile errors named by file
 * and line (a click opens that file at that line), and a new version of one's own story published
 * from the story page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { startWebServer } from './support/web-server.js';

const MAIN = `# title: The Two Rooms
INCLUDE rooms/cellar.ink
You stand at the top of the stairs.
* [Go down] -> cellar
`;
const CELLAR_BROKEN = `=== cellar ===
The cellar is {cold.
* [Climb back] -> END
`;
const CELLAR = CELLAR_BROKEN.replace('{cold.', 'cold.');

describe.skipIf(!hasChromium)(hasChromium ? 'web client: a story of several files' : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' })).newPage();
    errors = collectPageErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  const tab = (name: string) => page.getByRole('group', { name: 'Files of the story' }).getByRole('button', { name: new RegExp(`^${name.replace('.', '\\.')}`) });
  const editorText = () => page.locator('#ink-source').inputValue();

  it('opens several files, shows errors by file and line, and saves the story once they compile', async () => {
    await page.goto(`${server.url}/upload`);
    await page.locator('input[type=file]').setInputFiles([
      { name: 'cellar.ink', mimeType: 'text/plain', buffer: Buffer.from(CELLAR_BROKEN) },
      { name: 'story.ink', mimeType: 'text/plain', buffer: Buffer.from(MAIN) },
    ]);
    // The file that no other file INCLUDEs is the one compiled; the title comes from its # title.
    await tab('story.ink').getByText('main').waitFor();
    expect(await page.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('The Two Rooms');
    // The INCLUDE names a folder: rename the file to match, and see a bad name refused first.
    await tab('cellar.ink').click();
    const name = page.getByRole('textbox', { name: 'File name' });
    await name.fill('../cellar.ink');
    await page.getByRole('alert').getByText(/without \. or \.\. parts/).waitFor();
    await name.fill('rooms/cellar.ink');
    await name.press('Enter');
    await tab('rooms/cellar.ink').waitFor();

    await page.getByRole('button', { name: 'Compile and save' }).click();
    const report = page.locator('.compile-errors');
    await report.getByText(/^rooms\/cellar\.ink, line 2:/).first().waitFor();
    await tab('story.ink').click();
    await report.getByRole('button', { name: /Go to rooms\/cellar\.ink, line 2/ }).first().click();
    expect(await tab('rooms/cellar.ink').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.evaluate<string>("(() => { const t = document.querySelector('#ink-source'); return t.value.slice(t.selectionStart, t.selectionEnd); })()")).toBe('The cellar is {cold.');
    expect(await page.locator('.gutter-line.has-error').allTextContents()).toEqual(['2']);
    await screenshot(page, 'story-files-errors');

    await page.locator('#ink-source').fill(CELLAR);
    await page.getByRole('button', { name: 'Compile and save' }).click();
    await page.waitForURL(/\/stories\/[^/]+$/);
    await page.getByRole('heading', { name: 'The Two Rooms' }).waitFor();
    const storyId = new URL(page.url()).pathname.split('/').pop()!;
    const stored = await (await fetch(`${server.url}/api/stories/${storyId}`, { headers: await authOf(page) })).json();
    expect(stored).toMatchObject({ main: 'story.ink', files: { 'story.ink': MAIN, 'rooms/cellar.ink': CELLAR } });
  });

  it("publishes a new version of one's own story from its page, with a file added", async () => {
    const storyId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('link', { name: 'Edit the story (a new version)' }).click();
    await page.getByRole('heading', { name: 'Edit “The Two Rooms”' }).waitFor();
    await tab('story.ink').waitFor();
    expect(await editorText()).toBe(MAIN);
    await page.getByRole('button', { name: '+ Add a file' }).click();
    await page.getByRole('textbox', { name: 'File name' }).fill('rooms/attic.ink');
    await page.getByRole('textbox', { name: 'File name' }).press('Enter');
    await page.locator('#ink-source').fill('=== attic ===\nDust, and a window.\n* [Leave] -> END\n');
    await tab('story.ink').click();
    await page.locator('#ink-source').fill(MAIN.replace('INCLUDE rooms/cellar.ink', 'INCLUDE rooms/cellar.ink\nINCLUDE rooms/attic.ink') + '* [Go up] -> attic\n');
    await page.getByRole('button', { name: 'Compile and publish a new version' }).click();
    await page.waitForURL(new RegExp(`/stories/${storyId}$`));
    const versions = (await (await fetch(`${server.url}/api/stories/${storyId}/versions`, { headers: await authOf(page) })).json()) as { versions: { version: number }[] };
    expect(versions.versions.map((v) => v.version).sort()).toEqual([1, 2]);
    await page.getByText('ink source').click();
    await page.getByRole('heading', { name: 'rooms/attic.ink' }).waitFor();
    expect(errors).toEqual([]);
  });
});

/** The page's own credentials (the guest token it keeps), to read what it saved through the API. */
async function authOf(page: Page): Promise<Record<string, string>> {
  const token = await page.evaluate<string | null>("localStorage.getItem('md.token')");
  return token ? { authorization: `Bearer ${token}` } : {};
}
