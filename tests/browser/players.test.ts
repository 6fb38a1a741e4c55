/**
 * Two people in one story: the owner makes invite links in the Players tab, a second browser joins
 * through one and plays, the owner sees them online; a spectator who joins gets no input box.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { startWebServer } from './support/web-server.js';

const TURN_MS = 30_000;

describe.skipIf(!hasChromium)(hasChromium ? 'web client: playing together' : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let owner: Page;
  let errors: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer({ OFFLINE_CHUNK_DELAY_MS: '5' }), launchChromium()]);
    owner = await newPage();
    errors = collectPageErrors(owner);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    contexts.push(context);
    return context.newPage();
  }

  async function inviteLink(role: 'player' | 'spectator'): Promise<string> {
    // Wide screens open the panel once the session has loaded; wait for that before looking.
    await owner.getByRole('textbox', { name: 'Your action' }).waitFor();
    if ((await owner.getByRole('tab', { name: 'Players' }).count()) === 0) await owner.getByRole('button', { name: 'Memories, cards and context' }).click();
    await owner.getByRole('tab', { name: 'Players' }).click();
    const field = owner.getByRole('textbox', { name: 'Invite link' });
    // A link made for another role is not left on show (it could be copied by mistake); and the
    // wait below is for a new link, or a slow answer would hand the spectator the player's link.
    const previous = (await field.count()) > 0 ? await field.inputValue() : '';
    const select = owner.getByRole('combobox', { name: 'Invite as' });
    if ((await select.inputValue()) !== role) {
      await select.selectOption(role);
      await expect.poll(() => field.count()).toBe(0);
    }
    await owner.getByRole('button', { name: 'Create an invite link' }).click();
    await expect.poll(async () => {
      const value = await field.inputValue();
      return value !== previous && /\/join\/inv_/.test(value);
    }).toBe(true);
    return field.inputValue();
  }

  it('a player joins by the link, is seen online and plays a turn the owner sees', async () => {
    await owner.goto(`${server.url}/`);
    await owner.getByRole('link', { name: /The Last Light on Gull Rock/ }).click();
    await owner.getByRole('button', { name: 'Begin a new session' }).click();
    await owner.waitForURL(/\/play\//);
    const link = await inviteLink('player');

    const player = await newPage();
    await player.goto(link);
    await player.waitForURL(/\/play\//);
    expect(new URL(player.url()).pathname).toBe(new URL(owner.url()).pathname);
    // The joined session is in the player's own list, to come back to.
    await player.getByRole('link', { name: 'My sessions' }).click();
    await player.getByText('shared · you play').waitFor();
    await player.goBack();
    await player.waitForURL(/\/play\//);
    await player.getByRole('textbox', { name: 'Your action' }).fill('I wave from the door');
    await player.keyboard.press('Enter');
    await owner.locator('article.turn[data-turn="1"]').getByText('I wave from the door').waitFor({ timeout: TURN_MS });

    const list = owner.getByRole('list', { name: 'People in this session' });
    await list.getByText('player', { exact: true }).waitFor();
    await expect.poll(async () => list.locator('.presence.online').count(), { timeout: 20_000 }).toBe(2);
    await screenshot(owner, 'players-panel');
  });

  it('a spectator joins by a spectator link and gets no input box', async () => {
    const link = await inviteLink('spectator');
    const watcher = await newPage();
    await watcher.goto(link);
    await watcher.waitForURL(/\/play\//);
    await watcher.getByText('You are watching this session; its players act.').waitFor();
    expect(await watcher.getByRole('textbox', { name: 'Your action' }).count()).toBe(0);
    await watcher.locator('article.turn[data-turn="1"]').waitFor();
    expect(errors).toEqual([]);
  });

  it('an unknown invite says so', async () => {
    const stranger = await newPage();
    await stranger.goto(`${server.url}/join/inv_nothing`);
    await stranger.getByText('There is no such invite.').waitFor();
  });
});
