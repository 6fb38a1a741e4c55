/**
 * The web client in Chromium against a real server: guest sign-in, a shipped story, three turns
 * with the narration streaming in, a choice hint, reload mid-turn, network loss, the time
 * controls (undo, redo, retry, fork) and the session's panels. One browser and one page for the
 * whole file; each test continues where the last one stopped, like a player would.
 */
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { clientFor, hasTimeControls, startWebServer, unwrap } from './support/web-server.js';

const TURN_MS = 30_000;

describe.skipIf(!hasChromium)(hasChromium ? 'web client: playing a story' : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let timeControls = false;
  const sockets: WebSocketRoute[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
    timeControls = await hasTimeControls(server);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    page = await context.newPage();
    errors = collectPageErrors(page);
    // Every session WebSocket goes through here, so a test can cut it like a network drop would.
    await page.routeWebSocket(/\/ws\/story\//, (ws) => {
      ws.connectToServer();
      sockets.push(ws);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  const live = () => page.locator('article.turn.live');
  const committed = () => page.locator('article.turn[data-turn]');
  const token = () => page.evaluate<string>("localStorage.getItem('md.token')");
  const sessionId = () => new URL(page.url()).pathname.split('/').pop()!;
  const serverTurn = async (n: number) => {
    const { turns } = await unwrap(clientFor(server, await token()).api.GET('/api/sessions/{id}/turns', { params: { path: { id: sessionId() }, query: { after: n - 1, limit: 1 } } }));
    return turns[0]!;
  };
  const flat = (text: string) => text.replace(/\s+/g, '');

  /** Send from the composer and return the narration seen while the turn was still running. */
  async function playTurn(act: () => Promise<void>): Promise<{ partial: string; turnNo: number }> {
    const before = await committed().count();
    await act();
    const streaming = live().locator('.narration');
    await streaming.waitFor({ timeout: TURN_MS });
    const partial = (await streaming.textContent()) ?? '';
    expect(await live().count(), 'the narration showed while the turn was still running').toBe(1);
    await live().waitFor({ state: 'detached', timeout: TURN_MS });
    await expect.poll(() => committed().count()).toBe(before + 1);
    return { partial, turnNo: before };
  }

  async function expectTurnMatchesServer(n: number): Promise<void> {
    const turn = await serverTurn(n);
    const shown = await page.locator(`article.turn[data-turn="${n}"] .narration`).textContent();
    expect(flat(shown ?? '')).toBe(flat(turn.response));
    expect(await page.locator(`article.turn[data-turn="${n}"]`).count(), `turn ${n} is shown once`).toBe(1);
  }

  it('signs in as a guest and shows the library', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await page.getByRole('link', { name: /The Last Light on Gull Rock/ }).waitFor();
    expect(await token()).toMatch(/^ey/);
    await screenshot(page, 'library');
  });

  it('starts a shipped story from its page', async () => {
    await page.getByRole('link', { name: /The Last Light on Gull Rock/ }).click();
    await page.getByRole('button', { name: 'Begin a new session' }).waitFor();
    await screenshot(page, 'new-session');
    await page.getByRole('button', { name: 'Begin a new session' }).click();
    await page.waitForURL(/\/play\//);
    await page.getByText('The storm arrives an hour before dusk').waitFor();
    await page.getByRole('heading', { name: 'The Last Light on Gull Rock' }).waitFor();
    expect(await committed().count()).toBe(1);
  });

  it('plays three turns and shows the narration as it streams in', async () => {
    const input = page.getByRole('textbox', { name: 'Your action' });
    const first = await playTurn(async () => {
      await input.fill('I pull on my oilskins');
      await input.press('Enter');
    });
    await screenshot(page, 'play');
    expect(first.partial.length).toBeGreaterThan(0);
    const full = (await page.locator(`article.turn[data-turn="1"] .narration`).textContent()) ?? '';
    expect(full.startsWith(first.partial) && full.length > first.partial.length, `partial "${first.partial}" then "${full}"`).toBe(true);
    await expectTurnMatchesServer(1);

    // A choice hint sends its text.
    const hint = page.locator('.choices button').first();
    const choiceText = (await hint.textContent())!;
    await playTurn(() => hint.click());
    expect(await page.locator('article.turn[data-turn="2"] .player-text').textContent()).toBe(choiceText);
    await expectTurnMatchesServer(2);

    // Say something: the kind switch.
    await page.getByRole('radio', { name: 'Say' }).check();
    await playTurn(async () => {
      await input.fill('Is anyone out there?');
      await input.press('Enter');
      await screenshot(page, 'streaming');
    });
    expect(await page.locator('article.turn[data-turn="3"] .kind-badge').textContent()).toBe('Say');
    await expectTurnMatchesServer(3);
    await page.getByRole('radio', { name: 'Do' }).check();
  });

  it('rejoins the turn after a reload mid-turn and shows it once', async () => {
    const input = page.getByRole('textbox', { name: 'Your action' });
    await input.fill('I climb the spiral stairs');
    await input.press('Enter');
    await live().locator('.narration').waitFor({ timeout: TURN_MS });
    await page.reload();
    // The transcript reloads and the running turn comes back from the server's event buffer.
    await page.getByText('The storm arrives an hour before dusk').waitFor();
    await live().locator('.narration').waitFor({ timeout: TURN_MS });
    expect(await live().locator('.player-text').textContent()).toBe('I climb the spiral stairs');
    await live().waitFor({ state: 'detached', timeout: TURN_MS });
    await expectTurnMatchesServer(4);
    expect(await committed().count()).toBe(5);
  });

  it('survives a network drop mid-turn: reconnects with the last event id, nothing twice', async () => {
    const input = page.getByRole('textbox', { name: 'Your action' });
    const before = sockets.length;
    await input.fill('I look out at the sea');
    await input.press('Enter');
    await live().locator('.narration').waitFor({ timeout: TURN_MS });
    await context.setOffline(true);
    await sockets.at(-1)!.close({ code: 4000, reason: 'network lost' });
    await page.getByText('You are offline').waitFor();
    await screenshot(page, 'network-loss');
    await page.waitForTimeout(500);
    await context.setOffline(false);
    await live().waitFor({ state: 'detached', timeout: TURN_MS });
    await expectTurnMatchesServer(5);
    expect(sockets.length).toBeGreaterThan(before);
    const resumed = new URL(sockets.at(-1)!.url());
    expect(Number(resumed.searchParams.get('since')), 'the reconnect asked for what it missed').toBeGreaterThan(0);
    expect(await page.getByText('You are offline').count()).toBe(0);
  });

  it('shows memories, story cards and a turn’s context in the side panel', async () => {
    const toggle = page.getByRole('button', { name: 'Memories, cards and context' });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await page.getByRole('tab', { name: 'Memories' }).click();
    await page.locator('.memory').first().waitFor();
    // Add and pin a memory of our own.
    await page.getByText('Add a memory').click();
    await page.getByRole('textbox', { name: 'Memory' }).fill('Pell the sheepdog is afraid of thunder.');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const mine = page.locator('.memory', { hasText: 'Pell the sheepdog is afraid of thunder.' });
    await mine.waitFor();
    await mine.getByRole('button', { name: 'Pin' }).click();
    await page.locator('.memory.pinned', { hasText: 'afraid of thunder' }).waitFor();
    await screenshot(page, 'panel-memories');
    await page.getByRole('tab', { name: 'Story cards' }).click();
    await page.getByText('from the ink file').first().waitFor();
    await page.locator('article.turn[data-turn="2"]').getByRole('button', { name: 'Context' }).click();
    await page.getByTestId('trace').waitFor();
    await page.getByRole('heading', { name: /Narrator/ }).waitFor();
    await screenshot(page, 'panel-context');
  });

  // Both panels list through play/editable-list.tsx: this walks its edit, save and delete paths.
  it('adds, edits and deletes a card of the session, and edits a memory in place', async () => {
    await page.getByRole('tab', { name: 'Story cards' }).click();
    await page.getByText('Add a card').click();
    const add = page.locator('.add-block');
    await add.getByRole('textbox', { name: 'Name' }).fill('Tide table');
    await add.getByRole('textbox', { name: /^Keywords/ }).fill('tide, ebb');
    await add.getByRole('textbox', { name: 'What the narrator should know' }).fill('Low water at dusk bares the causeway.');
    await add.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('.lore-card', { hasText: 'tide · ebb' }).waitFor();
    await page.getByRole('button', { name: 'Edit: Tide table' }).click();
    const card = page.locator('.lore-card.editing');
    await card.getByRole('textbox', { name: 'Name' }).fill('Tide table of May');
    await card.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Delete: Tide table of May' }).click();
    await expect.poll(() => page.locator('.lore-card', { hasText: 'Tide table' }).count()).toBe(0);

    await page.getByRole('tab', { name: 'Memories' }).click();
    await page.locator('.memory', { hasText: 'afraid of thunder' }).getByRole('button', { name: 'Edit' }).click();
    const memory = page.locator('.memory.editing');
    await memory.getByRole('textbox', { name: 'Memory' }).fill('Pell the sheepdog hides from thunder.');
    await memory.getByRole('button', { name: 'Save' }).click();
    await page.locator('.memory.pinned', { hasText: 'hides from thunder' }).waitFor();
    expect(await memory.count(), 'the form closed after saving').toBe(0);
  });

  it('imports a lorebook file into the session and exports the story cards', async () => {
    await page.getByRole('tab', { name: 'Story cards' }).click();
    const storyCards = [{ keys: 'causeway, tide', value: 'The causeway floods twice a day.', type: 'location', title: 'Causeway', description: '' }, { keys: '', value: 'Unused.', type: 'other', title: 'Note', description: '' }];
    await page.getByLabel('Import lorebook…').first().setInputFiles({ name: 'cards.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(storyCards)) });
    await page.getByText('Cards imported: 1 (ai_dungeon_story_cards).').waitFor();
    await page.locator('.lore-card', { hasText: 'causeway · tide' }).waitFor();
    await page.getByText('Skipped: 1').click();
    await page.getByText('no trigger keys').waitFor();
    // A shipped story has no owner: its cards can be exported, not imported into.
    expect(await page.getByLabel('Import lorebook…').count()).toBe(1);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export (SillyTavern)' }).click();
    expect((await download).suggestedFilename()).toMatch(/-lorebook\.json$/);
  });

  it('undoes and redoes the last turn', async (ctx) => {
    if (!timeControls) return ctx.skip('the time-control API (undo/redo/retry/fork) is not on this server yet');
    const count = await committed().count();
    await page.locator(`article.turn[data-turn="${count - 1}"]`).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => committed().count()).toBe(count - 1);
    const redo = page.getByRole('button', { name: 'Redo' });
    await redo.waitFor();
    await screenshot(page, 'undo');
    await redo.click();
    await expect.poll(() => committed().count()).toBe(count);
    await expectTurnMatchesServer(count - 1);
  });

  it('retries the last turn and keeps both versions to browse', async (ctx) => {
    if (!timeControls) return ctx.skip('the time-control API is not on this server yet');
    const last = (await committed().count()) - 1;
    const oldText = await page.locator(`article.turn[data-turn="${last}"] .narration`).textContent();
    await page.locator(`article.turn[data-turn="${last}"]`).getByRole('button', { name: 'Retry' }).click();
    await live().waitFor({ timeout: TURN_MS });
    await live().waitFor({ state: 'detached', timeout: TURN_MS });
    const turn = page.locator(`article.turn[data-turn="${last}"]`);
    await turn.getByText('Version 2 of 2').waitFor();
    await turn.getByRole('button', { name: 'Previous version' }).click();
    await turn.getByText(/replaced by a retry/).waitFor();
    expect(await turn.locator('.narration').textContent()).toBe(oldText);
    await screenshot(page, 'retry-versions');
    await turn.getByRole('button', { name: 'Next version' }).click();
    await expectTurnMatchesServer(last);
  });

  it('forks from an earlier turn into a new session', async (ctx) => {
    if (!timeControls) return ctx.skip('the time-control API is not on this server yet');
    const original = sessionId();
    await page.locator('article.turn[data-turn="2"]').getByRole('button', { name: 'Fork from here' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith(original));
    await page.getByText('Forked from another session at turn 2.').waitFor();
    await expect.poll(() => committed().count()).toBe(3);
    await screenshot(page, 'fork');
  });

  it('lists the sessions to resume, most recently played first', async () => {
    const current = sessionId();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My sessions' }).click();
    await page.getByRole('heading', { name: 'My sessions' }).waitFor();
    const rows = page.locator('.session-row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(timeControls ? 2 : 1);
    await screenshot(page, 'sessions');
    await rows.first().getByRole('link', { name: /^Resume/ }).click();
    await page.waitForURL(`**/play/${current}`);
    await page.getByRole('textbox', { name: 'Your action' }).waitFor();
  });

  it('switches the interface to Simplified Chinese and the theme to dark', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await page.getByRole('link', { name: '故事库' }).waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-Hans');
    await page.getByRole('textbox', { name: '你的行动' }).waitFor();
    await screenshot(page, 'play-zh');
    await page.getByRole('button', { name: '切换到深色主题' }).click();
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark');
    await screenshot(page, 'play-dark');
    // Both choices are remembered across a reload.
    await page.reload();
    await page.getByRole('textbox', { name: '你的行动' }).waitFor();
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark');
    await page.getByRole('button', { name: '切换到浅色主题' }).click();
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    expect(errors).toEqual([]);
  });
});
