/**
 * The author dashboard in Chromium: a guest uploads a story, plays it (two sessions, three turns,
 * one ending), opens the story's page, follows its Analytics link, and sees the numbers it played,
 * Chart.js canvases, and a CSV download. The dashboard's chunk (with Chart.js) loads only then.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { eventually } from '../support/test-env.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';
import { clientFor, startWebServer, unwrap } from './support/web-server.js';

const STORY = `-> gate
=== gate ===
The garden gate.
+ [Walk to the fountain] -> fountain
+ [Climb the old wall] -> wall
=== fountain ===
The fountain sings.
+ [Drink the water] -> sweet_end
=== wall ===
The wall is high.
-> END
=== sweet_end ===
# ending: sweet
The water tastes of honey.
-> END
`;

describe.skipIf(!hasChromium)(hasChromium ? 'web client: the author dashboard' : NO_CHROMIUM, { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const chunks: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer({ OFFLINE_CHUNK_DELAY_MS: '0' }), launchChromium()]);
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-US', acceptDownloads: true });
    page = await context.newPage();
    errors = collectPageErrors(page);
    page.on('request', (r) => r.url().includes('/assets/analytics-screen') && chunks.push(r.url()));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  it('plays a story, then shows its numbers with charts and a CSV download', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    const drama = clientFor(server, (await page.evaluate<string | null>("localStorage.getItem('md.token')"))!);
    const story = await unwrap(drama.api.POST('/api/stories', { body: { title: 'Garden', source: STORY } }));
    const play = async (...inputs: string[]) => {
      const { session_id } = await unwrap(drama.api.POST('/api/sessions', { body: { story_id: story.id } }));
      for (const input of inputs) {
        const task = await unwrap(drama.api.POST('/api/story/action', { body: { session_id, user_input: input } }));
        await eventually(async () => {
          const s = await unwrap(drama.api.GET('/api/story/status/{task_id}', { params: { path: { task_id: task.task_id } } }));
          return s.status === 'completed' ? s : undefined;
        }, 30_000, 'the turn');
      }
    };
    await play('Walk to the fountain', 'Drink the water');
    await play('xyzzy plugh');

    await page.goto(`${server.url}/stories/${story.id}`);
    await page.getByRole('heading', { name: 'Garden' }).waitFor();
    expect(chunks, 'the dashboard chunk is not loaded before it is opened').toEqual([]);
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Analytics: Garden' }).waitFor();
    const stat = (name: string) => page.locator(`[data-stat="${name}"] dd`).textContent();
    expect(await stat('started')).toBe('2');
    expect(await stat('finished')).toBe('1');
    expect(await stat('turns')).toBe('3');
    expect(await stat('median')).toBe('2');
    expect(await stat('never-reached')).toBe('1 / 4 (25%)');
    await expect.poll(() => page.locator('.chart-box canvas').count()).toBe(4);
    const choices = async (point: string) => (await page.locator(`[data-point="${point}"] dd`).allTextContents()).map((s) => s.trim());
    expect(await choices('gate')).toEqual(['Walk to the fountain: 50% (1)', 'Climb the old wall: 0% (0)', 'No choice: 50% (1)']);
    expect(chunks.length).toBeGreaterThan(0);
    await screenshot(page, 'analytics-dashboard', true);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
    expect(csv.split('\r\n')).toEqual(expect.arrayContaining(['section,name,detail,value,share', 'sessions,started,,2,', 'ending,sweet,sweet_end,1,1']));

    // In Chinese: the same numbers under Chinese labels, the charts redrawn.
    await page.selectOption('#lang-select', 'zh');
    await page.getByRole('heading', { name: '数据分析：Garden' }).waitFor();
    expect(await page.locator('[data-stat="finished"] dt').textContent()).toBe('完成的会话');
    expect(await stat('finished')).toBe('1');
    expect(await choices('gate')).toContain('未做选择: 50% (1)');
    expect(await page.locator('.chart-box canvas').count()).toBe(4);
    expect(errors).toEqual([]);
  });
});
