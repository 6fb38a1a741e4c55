/**
 * Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core (no
 * browser download). When it is missing, the suites skip and say why.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
/** The reason shown when the suites skip. */
export const NO_CHROMIUM = `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install --no-install-recommends chromium, or set CHROMIUM_PATH)`;

if (!hasChromium) console.warn(NO_CHROMIUM);

const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/**
 * One headless Chromium. Playwright starts it with a fresh temporary --user-data-dir of its own
 * (and refuses one in `args`); every `newContext` is a clean profile on top of it.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Save a screenshot of the page to test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** Fail the test on errors thrown in the page (they would otherwise pass silently). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource|WebSocket connection/.test(msg.text())) errors.push(msg.text());
  });
  return errors;
}
