/**
 * The web client beyond a mouse on a desktop: uploading ink with compile errors shown at their
 * lines, a phone-sized screen, playing with the keyboard alone, and an input method composing
 * Chinese (Enter confirms the composition and must not send). One browser for the file.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { startWebServer } from './support/web-server.js';

const BROKEN_INK = `# title: The Broken Bell
VAR rung = 0
=== start ===
The bell hangs in the fog. {rung times it has rung.
* [Ring it]
    ~ rung = rung + 1
    -> start
* [Walk away -> nowhere
-> END
`;

describe.skipIf(!hasChromium)(hasChromium ? 'web client: upload, phone, keyboard, input methods' : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let desktop: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer({ OFFLINE_CHUNK_DELAY_MS: '15' }), launchChromium()]);
    desktop = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    page = await desktop.newPage();
    errors = collectPageErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  /** Tab until the focused element matches `selector`; fails after `max` presses. */
  async function tabTo(p: Page, selector: string, max = 40): Promise<void> {
    for (let i = 0; i < max; i++) {
      await p.keyboard.press('Tab');
      if (await p.evaluate<boolean, string>((s) => (globalThis as unknown as { document: { activeElement: { matches(s: string): boolean } | null } }).document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }
  const focused = (p: Page) => p.evaluate<string>("(document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent || '').trim()");

  it('shows ink compile errors at their lines, then saves the fixed story', async () => {
    await page.goto(`${server.url}/upload`);
    const editor = page.getByRole('textbox', { name: 'ink source' });
    // Open the file with the file picker: the editor and the title fill in from it.
    await page.locator('input[type=file]').setInputFiles({ name: 'bell.ink', mimeType: 'text/plain', buffer: Buffer.from(BROKEN_INK) });
    await expect.poll(() => editor.inputValue()).toBe(BROKEN_INK);
    expect(await page.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('The Broken Bell');
    await page.getByRole('button', { name: 'Compile and save' }).click();
    const report = page.getByRole('alert');
    await report.getByText(/compile errors?/).waitFor();
    await report.getByText(/^Line 4:/).first().waitFor();
    await report.getByText(/^Line 8:/).waitFor();
    expect(await page.locator('.gutter-line.has-error').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('4'), expect.stringContaining('8')]));
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    // Clicking an error selects its line in the editor.
    await report.getByRole('button', { name: /Go to line 8/ }).click();
    const selected = () => page.evaluate<string>("(() => { const t = document.querySelector('#ink-source'); return t.value.slice(t.selectionStart, t.selectionEnd); })()");
    await expect.poll(selected).toBe('* [Walk away -> nowhere');
    await screenshot(page, 'upload-errors');
    await editor.fill(BROKEN_INK.replace('{rung times', '{rung} times').replace('[Walk away -> nowhere', '[Walk away] -> END'));
    await page.getByRole('button', { name: 'Compile and save' }).click();
    await page.waitForURL(/\/stories\//);
    await page.getByRole('heading', { name: 'The Broken Bell' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
    await page.getByRole('region', { name: 'Your stories' }).getByRole('link', { name: /The Broken Bell/ }).waitFor();
  });

  it('plays with the keyboard alone: focus order, visible focus, Enter to send', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: /The Last Light on Gull Rock/ }).waitFor();
    await tabTo(page, 'a.story-card-link');
    expect(await focused(page)).toContain('The Last Light on Gull Rock');
    const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline, 'the focused element shows a focus ring').not.toBe('none');
    await screenshot(page, 'keyboard-focus');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Begin a new session' }).waitFor();
    await tabTo(page, 'button.primary');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/play\//);
    // The composer has the focus as soon as the story is there.
    const input = page.getByRole('textbox', { name: 'Your action' });
    await expect.poll(() => focused(page)).toBe('Your action');
    await page.keyboard.type('I pull on my oilskins');
    await page.keyboard.press('Enter');
    await page.locator('article.turn[data-turn="1"]').waitFor({ timeout: 30_000 });
    // Shift+Tab from the composer reaches the action kinds; arrow keys pick one.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: 'Say' }).isChecked()).toBe(true);
    // A choice hint is a button: Tab to it and press Enter.
    await tabTo(page, '.choices button');
    await page.keyboard.press('Enter');
    await page.locator('article.turn[data-turn="2"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('article.turn[data-turn="2"] .kind-badge').textContent()).toBe('Do');
  });

  it('does not send on the Enter that confirms an input method composition', async () => {
    const input = page.getByRole('textbox', { name: 'Your action' });
    await input.click();
    const cdp = await desktop.newCDPSession(page);
    const before = await page.locator('article.turn[data-turn]').count();
    // A pinyin input method: "nihao" is being composed...
    await cdp.send('Input.imeSetComposition', { text: 'nihao', selectionStart: 5, selectionEnd: 5 });
    await page.keyboard.press('Enter');
    // ...and committed as 你好.
    await cdp.send('Input.insertText', { text: '你好' });
    await page.waitForTimeout(300);
    expect(await page.locator('article.turn.live').count(), 'Enter during composition sent nothing').toBe(0);
    expect(await input.inputValue()).toContain('你好');
    await screenshot(page, 'ime-composing');
    await page.keyboard.press('Enter');
    await page.locator(`article.turn[data-turn="${before}"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator(`article.turn[data-turn="${before}"] .player-text`).textContent()).toContain('你好');
  });

  it('fits a phone-sized screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const mobile = await phone.newPage();
    const mobileErrors = collectPageErrors(mobile);
    await mobile.goto(`${server.url}/`);
    // navigator.language is zh-CN: the interface starts in Chinese.
    await mobile.getByRole('heading', { name: '故事库' }).waitFor();
    const overflow = () => mobile.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
    expect(await overflow(), 'no sideways scrolling').toBe(false);
    await screenshot(mobile, 'phone-library');
    await mobile.getByRole('link', { name: /听雨轩/ }).tap();
    await mobile.getByRole('button', { name: '开始新的一局' }).tap();
    await mobile.waitForURL(/\/play\//);
    const input = mobile.getByRole('textbox', { name: '你的行动' });
    await input.fill('我推开门');
    await mobile.getByRole('button', { name: '发送', exact: true }).tap();
    await mobile.locator('article.turn[data-turn="1"]').waitFor({ timeout: 30_000 });
    expect(await overflow()).toBe(false);
    await screenshot(mobile, 'phone-play');
    await mobile.getByRole('button', { name: '记忆、设定卡与上下文' }).tap();
    await mobile.getByRole('tab', { name: '记忆' }).waitFor();
    expect(await overflow()).toBe(false);
    await screenshot(mobile, 'phone-panel');
    await phone.close();
    expect(mobileErrors).toEqual([]);
    expect(errors).toEqual([]);
  });
});
