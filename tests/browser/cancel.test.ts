/**
 * Stopping a turn in the web client: while a turn runs, Send becomes Stop; Stop cancels it on the
 * server (`POST /api/sessions/:id/cancel`), the turn shows as Cancelled (the player's choice, not
 * an error), nothing is committed, and the next action plays normally. The offline narrator is
 * slowed down (about 70 chunks × 120 ms) so the turn is still streaming when Stop is clicked.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { clientFor, startWebServer, unwrap } from './support/web-server.js';

const TURN_MS = 40_000;

describe.skipIf(!hasChromium)(hasChromium ? 'web client: stopping a turn' : NO_CHROMIUM, { timeout: 150_000 }, () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer({ OFFLINE_CHUNK_DELAY_MS: '120' }), launchChromium()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  const live = (page: Page) => page.locator('article.turn.live');
  const committed = (page: Page) => page.locator('article.turn[data-turn]');
  const sessionId = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;
  /** Every turn row the server holds for the page's session, undone and discarded ones included. */
  async function serverTurns(page: Page) {
    const token = await page.evaluate<string>("localStorage.getItem('md.token')");
    const { turns } = await unwrap(clientFor(server, token).api.GET('/api/sessions/{id}/turns', { params: { path: { id: sessionId(page) }, query: { include: 'all' } } }));
    return turns.map((t) => ({ turn_no: t.turn_no, input: t.input }));
  }
  /** Open a shipped story from the library and begin a session; the opening passage is turn 0. */
  async function beginSession(page: Page, story: RegExp, begin: string): Promise<void> {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: story }).click();
    await page.getByRole('button', { name: begin }).click();
    await page.waitForURL(/\/play\//);
    await expect.poll(() => committed(page).count()).toBe(1);
  }
  const cancelResponse = (page: Page) => page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/sessions\/[^/]+\/cancel$/.test(r.url()));

  it('stops a streaming turn: Cancelled, nothing committed, and the next action plays', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await beginSession(page, /The Last Light on Gull Rock/, 'Begin a new session');
    const input = page.getByRole('textbox', { name: 'Your action' });
    const send = page.getByRole('button', { name: 'Send', exact: true });
    const stop = page.getByRole('button', { name: 'Stop', exact: true });

    await input.fill('I light the lamp and wait');
    await input.press('Enter');
    // Send became Stop, and the narration is streaming in.
    await stop.waitFor({ timeout: TURN_MS });
    expect(await send.count(), 'Send is replaced by Stop while the turn runs').toBe(0);
    const narration = live(page).locator('.narration');
    await narration.waitFor({ timeout: TURN_MS });
    // A few chunks in, so the turn is well under way (and the screenshot shows some narration).
    await expect.poll(async () => ((await narration.textContent()) ?? '').length, { timeout: TURN_MS }).toBeGreaterThan(40);
    expect(await live(page).getAttribute('aria-busy')).toBe('true');

    const answered = cancelResponse(page);
    await stop.click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { status: string; error: { code: string } | null };
    expect(body).toMatchObject({ status: 'failed', error: { code: 'cancelled' } });

    // Shown as the player's choice: Cancelled, muted, with Send it again and Dismiss; not an error.
    const cancelled = page.locator('article.turn.live.cancelled');
    // Whichever comes first: cancelled, failed, or the turn committed after all.
    await cancelled.or(page.locator('article.turn.live.failed')).or(page.locator('article.turn[data-turn="1"]')).first().waitFor({ timeout: TURN_MS });
    expect(await cancelled.count(), 'the turn ended as cancelled (not failed, not committed)').toBe(1);
    const status = cancelled.locator('.turn-status');
    expect(await status.getAttribute('data-status')).toBe('cancelled');
    expect((await status.textContent())?.trim()).toBe('Cancelled');
    expect(await page.locator('article.turn.live.failed, .status-failed').count(), 'not shown as a failure').toBe(0);
    expect(await page.getByRole('alert').count(), 'no error notice').toBe(0);
    // Muted like the composer's hint, and in italics; a failure would be in the danger colour.
    const style = await page.evaluate<{ color: string; fontStyle: string; muted: string }>(
      "(() => { const s = getComputedStyle(document.querySelector('article.turn.live .turn-status')); return { color: s.color, fontStyle: s.fontStyle, muted: getComputedStyle(document.querySelector('.composer-hint')).color }; })()",
    );
    expect(style).toEqual({ color: style.muted, fontStyle: 'italic', muted: style.muted });
    expect(await cancelled.locator('.pulse').count(), 'no longer pulsing').toBe(0);
    expect(await cancelled.getAttribute('aria-busy')).toBe('false');
    await cancelled.getByRole('button', { name: 'Send it again' }).waitFor();
    await cancelled.getByRole('button', { name: 'Dismiss' }).waitFor();
    expect((await cancelled.locator('.player-text').textContent())?.trim()).toBe('I light the lamp and wait');

    // Nothing was committed, on the page or on the server.
    expect(await committed(page).count()).toBe(1);
    expect(await serverTurns(page)).toEqual([expect.objectContaining({ turn_no: 0 })]);

    // The composer works again: Stop is gone, and Send is on once there is something to send.
    await send.waitFor();
    expect(await stop.count()).toBe(0);
    expect(await input.isEditable()).toBe(true);
    await input.fill('I climb the spiral stairs');
    expect(await send.isEnabled()).toBe(true);
    await screenshot(page, 'cancelled');

    // The next action plays to the end: a new passage and choices.
    await input.press('Enter');
    await page.locator('article.turn[data-turn="1"]').waitFor({ timeout: TURN_MS });
    await live(page).waitFor({ state: 'detached', timeout: TURN_MS });
    expect((await page.locator('article.turn[data-turn="1"] .player-text').textContent())?.trim()).toBe('I climb the spiral stairs');
    expect(((await page.locator('article.turn[data-turn="1"] .narration').textContent()) ?? '').length).toBeGreaterThan(0);
    await page.locator('.choices button').first().waitFor();
    expect(await page.locator('article.turn.cancelled').count()).toBe(0);
    // The server holds the opening and the new turn; the stopped action left no row at all.
    expect(await serverTurns(page)).toEqual([expect.objectContaining({ turn_no: 0 }), { turn_no: 1, input: 'I climb the spiral stairs' }]);
    await send.waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('stopping a retry puts the earlier take back, and "Send it again" retries again', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await beginSession(page, /The Last Light on Gull Rock/, 'Begin a new session');
    const input = page.getByRole('textbox', { name: 'Your action' });
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await input.fill('I read the keeper’s log');
    await input.press('Enter');
    const first = page.locator('article.turn[data-turn="1"]');
    await first.waitFor({ timeout: TURN_MS });
    await live(page).waitFor({ state: 'detached', timeout: TURN_MS });
    const before = (await first.locator('.narration').textContent()) ?? '';
    expect(before.length).toBeGreaterThan(0);

    // Retry the turn, and stop the retry while it streams.
    const retried = page.waitForResponse((r) => r.request().method() === 'POST' && /\/retry$/.test(r.url()));
    await first.getByRole('button', { name: 'Retry', exact: true }).click();
    expect((await retried).status()).toBe(202);
    await stop.waitFor({ timeout: TURN_MS });
    await expect.poll(async () => ((await live(page).locator('.narration').textContent().catch(() => '')) ?? '').length, { timeout: TURN_MS }).toBeGreaterThan(20);
    const answered = cancelResponse(page);
    await stop.click();
    expect(((await (await answered).json()) as { error: { code: string } | null }).error?.code).toBe('cancelled');

    // The earlier take is back as turn 1, text unchanged; the stopped retry shows as Cancelled.
    const cancelled = page.locator('article.turn.live.cancelled');
    await cancelled.waitFor({ timeout: TURN_MS });
    await expect.poll(async () => (await first.locator('.narration').textContent().catch(() => null)) ?? null, { timeout: TURN_MS }).toBe(before);
    expect(await serverTurns(page)).toEqual([expect.objectContaining({ turn_no: 0 }), { turn_no: 1, input: 'I read the keeper’s log' }]);

    // "Send it again" retries the turn again (a new take of turn 1), not a new turn 2.
    const again = page.waitForResponse((r) => r.request().method() === 'POST' && /\/retry$/.test(r.url()));
    await cancelled.getByRole('button', { name: 'Send it again' }).click();
    expect((await again).status()).toBe(202);
    await live(page).waitFor({ timeout: TURN_MS });
    await expect.poll(async () => (await serverTurns(page)).map((t) => t.turn_no), { timeout: 3 * TURN_MS }).toEqual([0, 1, 1]);
    await live(page).waitFor({ state: 'detached', timeout: TURN_MS });
    expect(await page.locator('article.turn[data-turn="2"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('labels the button 停止 and the stopped turn 已取消 in Chinese', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await beginSession(page, /听雨轩/, '开始新的一局');
    const input = page.getByRole('textbox', { name: '你的行动' });
    await input.fill('我推开门');
    await input.press('Enter');
    const stop = page.getByRole('button', { name: '停止', exact: true });
    await stop.waitFor({ timeout: TURN_MS });
    const answered = cancelResponse(page);
    await stop.click();
    expect((await answered).status()).toBe(200);
    const cancelled = page.locator('article.turn.live.cancelled');
    await cancelled.getByText('已取消', { exact: true }).waitFor({ timeout: TURN_MS });
    await cancelled.getByRole('button', { name: '再发一次' }).waitFor();
    await page.getByRole('button', { name: '发送', exact: true }).waitFor();
    expect(await serverTurns(page)).toEqual([expect.objectContaining({ turn_no: 0 })]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
