/**
 * The player's tools in the play screen: editing a passage in place (rendered as safe Markdown),
 * editing the last action and playing it again, copying a passage, and steering the narrator with
 * an author's note that the context viewer then shows.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { startWebServer } from './support/web-server.js';

const TURN_MS = 30_000;

describe.skipIf(!hasChromium)(hasChromium ? "web client: the player's tools" : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer({ OFFLINE_CHUNK_DELAY_MS: '5' }), launchChromium()]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await context.newPage();
    errors = collectPageErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  const turn = (n: number) => page.locator(`article.turn[data-turn="${n}"]`);
  const tool = (n: number, name: string) => turn(n).getByRole('toolbar').getByRole('button', { name, exact: true });

  async function act(words: string, n: number): Promise<void> {
    await page.getByRole('textbox', { name: 'Your action' }).fill(words);
    await page.keyboard.press('Enter');
    await turn(n).waitFor({ timeout: TURN_MS });
    await page.locator('article.turn.live').waitFor({ state: 'detached', timeout: TURN_MS });
  }

  it('edits a passage in place; Markdown shows, HTML stays text', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: /The Last Light on Gull Rock/ }).click();
    await page.getByRole('button', { name: 'Begin a new session' }).click();
    await page.waitForURL(/\/play\//);
    await act('I pull on my oilskins', 1);

    await tool(1, 'Edit passage').click();
    const editor = turn(1).getByRole('textbox', { name: 'Edit passage' });
    await editor.fill('The wind *howls*.\n> "Keep the light," says the keeper.\n<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>');
    await turn(1).getByRole('button', { name: 'Save passage' }).click();
    await turn(1).locator('.narration em', { hasText: 'howls' }).waitFor();
    const narration = turn(1).locator('.narration');
    expect(await narration.locator('blockquote').textContent()).toContain('Keep the light');
    expect(await narration.locator('img, script').count()).toBe(0);
    expect(await narration.textContent()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await turn(1).getByText('edited by you').waitFor();
    await screenshot(page, 'edited-passage');

    // Copy takes the words without the Markdown marks.
    await tool(1, 'Copy').click();
    await tool(1, 'Copied').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toContain('The wind howls.');
  });

  it('edits the last action and plays it again; the first take stays browsable', async () => {
    await tool(1, 'Edit action').click();
    await turn(1).getByRole('combobox', { name: 'Kind of action' }).selectOption('say');
    await turn(1).getByRole('textbox', { name: 'Edit action' }).fill('Is anyone there?');
    await turn(1).getByRole('button', { name: 'Play it again like this' }).click();
    await turn(1).locator('.player-line.kind-say', { hasText: 'Is anyone there?' }).waitFor({ timeout: TURN_MS });
    await page.locator('article.turn.live').waitFor({ state: 'detached', timeout: TURN_MS });
    await turn(1).getByText('Version 2 of 2').waitFor();
  });

  it("steers the narrator with an author's note that the context viewer shows", async () => {
    // Wide screens open the panel with the page.
    if ((await page.getByRole('tab', { name: 'Narrator' }).count()) === 0) await page.getByRole('button', { name: 'Memories, cards and context' }).click();
    await page.getByRole('tab', { name: 'Narrator' }).click();
    await page.getByRole('textbox', { name: "Author's note" }).fill('Let the storm grow louder.');
    await page.getByRole('textbox', { name: 'Your character', exact: true }).fill('Mara');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved. The next turn uses it.').waitFor();
    await act('I climb the stairs', 2);
    await tool(2, 'Context').click();
    await page.locator('.section-name', { hasText: 'author_note' }).first().waitFor();
    await page.locator('.section-name', { hasText: 'persona' }).first().waitFor();
    expect(errors).toEqual([]);
  });
});
