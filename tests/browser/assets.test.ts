/**
 * Story assets in the web client: a passage's `# image:` shows, its `# audio:` waits muted until
 * the player turns sound on, and the story's `# cover:` shows in the library.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG, WAV } from '../../src/http/routes/__fixtures__/asset-files.js';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM } from './support/browser.js';
import { clientFor, startWebServer, unwrap } from './support/web-server.js';

const SOURCE = '# cover: front.png\nThe harbour at dawn. # image: harbour.png # audio: gulls.wav\n* [Walk on] The pier creaks.\n-> END\n';

describe.skipIf(!hasChromium)(hasChromium ? 'web client: story assets' : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer({ OFFLINE_CHUNK_DELAY_MS: '0' }), launchChromium()]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    page = await context.newPage();
    errors = collectPageErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  async function upload(token: string, storyId: string, name: string, bytes: Uint8Array) {
    const form = new FormData();
    form.set('file', new Blob([Buffer.from(bytes)]), name);
    const res = await fetch(`${server.url}/api/stories/${storyId}/assets`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(201);
  }

  it('shows the passage’s image, keeps its sound muted until asked, and the cover in the library', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    const token = await page.evaluate<string>("localStorage.getItem('md.token')");
    const drama = clientFor(server, token);
    const story = await unwrap(drama.api.POST('/api/stories', { body: { title: 'Harbour Lights', source: SOURCE, visibility: 'public' } }));
    await upload(token, story.id, 'harbour.png', PNG);
    await upload(token, story.id, 'gulls.wav', WAV);
    await upload(token, story.id, 'front.png', PNG);
    const started = await unwrap(drama.api.POST('/api/sessions', { body: { story_id: story.id } }));

    await page.goto(`${server.url}/play/${started.session_id}`);
    const image = page.locator('img.passage-image[data-asset="harbour.png"]');
    await image.waitFor();
    // Decoded by the browser: the 1×1 PNG arrived whole, through the session's asset URL.
    await page.waitForFunction("document.querySelector('img.passage-image')?.naturalWidth === 1");
    const audio = page.locator('audio.passage-audio[data-asset="gulls.wav"]');
    await audio.waitFor();
    expect(await audio.evaluate((a) => (a as unknown as { muted: boolean }).muted)).toBe(true);
    await page.getByRole('button', { name: 'Turn sound on' }).click();
    expect(await audio.evaluate((a) => (a as unknown as { muted: boolean }).muted)).toBe(false);
    await page.getByRole('button', { name: 'Turn sound off' }).waitFor();

    await page.goto(`${server.url}/`);
    const cover = page.locator('img.story-cover[alt="Harbour Lights"]');
    await cover.waitFor();
    await page.waitForFunction("[...document.querySelectorAll('img.story-cover')].some((i) => i.naturalWidth === 1)");
    expect(errors).toEqual([]);
  });
});
