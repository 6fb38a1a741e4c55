/**
 * Two players at one table in two browsers: an action sent while the other's turn runs waits in
 * line (both see it), each passage names who acted, the other player sees who is typing, and in
 * round mode the composer is only open to the player whose turn it is.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { startWebServer } from './support/web-server.js';

const TURN_MS = 30_000;

describe.skipIf(!hasChromium)(hasChromium ? 'web client: the shared table' : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let owner: Page;
  let player: Page;
  let errors: string[];

  beforeAll(async () => {
    // Slow turns, so that the second action really arrives while the first runs.
    [server, browser] = await Promise.all([startWebServer({ OFFLINE_LATENCY_MS: '1500', OFFLINE_CHUNK_DELAY_MS: '5' }), launchChromium()]);
    const page = async () => (await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' })).newPage();
    owner = await page();
    player = await page();
    errors = [...collectPageErrors(owner), ...collectPageErrors(player)];
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  async function playersTab(page: Page) {
    await page.getByRole('textbox', { name: 'Your action' }).waitFor();
    if ((await page.getByRole('tab', { name: 'Players' }).count()) === 0) await page.getByRole('button', { name: 'Memories, cards and context' }).click();
    await page.getByRole('tab', { name: 'Players' }).click();
  }

  it('a second action waits in line for both to see, and each passage names who acted', async () => {
    await owner.goto(`${server.url}/`);
    await owner.getByRole('link', { name: /The Last Light on Gull Rock/ }).click();
    await owner.getByRole('button', { name: 'Begin a new session' }).click();
    await owner.waitForURL(/\/play\//);
    await playersTab(owner);
    await owner.getByRole('button', { name: 'Create an invite link' }).click();
    const field = owner.getByRole('textbox', { name: 'Invite link' });
    await expect.poll(() => field.inputValue()).toMatch(/\/join\/inv_/);

    await player.goto(await field.inputValue());
    await player.waitForURL(/\/play\//);
    await playersTab(player);
    await player.getByRole('textbox', { name: 'Your name here' }).fill('Mara');
    await player.getByRole('button', { name: 'Save' }).click();
    await owner.getByRole('list', { name: 'People in this session' }).getByText('Mara').waitFor({ timeout: 20_000 });

    // The owner types: the player sees it.
    await owner.getByRole('textbox', { name: 'Your action' }).pressSequentially('I climb', { delay: 20 });
    await player.getByText('Owner typing…').waitFor({ timeout: 10_000 });
    await owner.getByRole('textbox', { name: 'Your action' }).pressSequentially(' the stairs');
    await owner.keyboard.press('Enter');
    await player.locator('article.turn').getByText('I climb the stairs').first().waitFor({ timeout: TURN_MS });
    await player.getByRole('textbox', { name: 'Your action' }).fill('I hold up the lantern');
    await player.keyboard.press('Enter');
    const line = (page: Page) => page.getByRole('list', { name: 'Waiting in line' });
    await line(owner).getByText('Mara').waitFor({ timeout: 10_000 });
    await line(player).getByText('I hold up the lantern').waitFor();
    await screenshot(owner, 'table-waiting-line');

    const second = owner.locator('article.turn[data-turn="2"]');
    await second.getByText('I hold up the lantern').waitFor({ timeout: TURN_MS });
    expect(await second.locator('.actor-name').textContent()).toBe('Mara');
    expect(await owner.locator('article.turn[data-turn="1"] .actor-name').textContent()).toBe('Owner');
    await expect.poll(() => line(owner).count()).toBe(0);
  });

  it("in round mode the composer is open only to the player whose turn it is", async () => {
    await owner.getByRole('combobox', { name: 'Who acts when' }).selectOption('round');
    await owner.getByText('Your turn').waitFor({ timeout: 10_000 });
    await player.getByText("Owner's turn").waitFor({ timeout: 10_000 });
    expect(await player.getByRole('textbox', { name: 'Your action' }).isDisabled()).toBe(true);
    await owner.getByRole('textbox', { name: 'Your action' }).fill('I ring the bell');
    await owner.keyboard.press('Enter');
    await player.getByText('Your turn').waitFor({ timeout: TURN_MS });
    await owner.getByText("Mara's turn").waitFor();
    await expect.poll(() => player.getByRole('textbox', { name: 'Your action' }).isDisabled(), { timeout: TURN_MS }).toBe(false);
    await screenshot(player, 'table-round-your-turn');
    expect(errors).toEqual([]);
  });
});
