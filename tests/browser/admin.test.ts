/**
 * The admin view, rendered by a real browser from a server that has played real turns: the
 * operator's live counts (sessions, turns per minute, queue, spend by model). Its screenshot is
 * the issue's stand-in for Grafana, which Debian does not package.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents } from '../support/clients.js';
import { testServerEnv } from '../support/test-env.js';
import { collectPageErrors, hasChromium, launchChromium, NO_CHROMIUM, screenshot } from './support/browser.js';

const ADMIN_TOKEN = 'admin-view-test-token-0123456789';

describe.skipIf(!hasChromium)(`admin view${hasChromium ? '' : ` (${NO_CHROMIUM})`}`, () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer(testServerEnv({ ADMIN_TOKEN, RATE_LIMIT_ACTIONS_PER_MINUTE: '0', RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP: '0' }), silentLogger());
    browser = await launchChromium();
    // Real turns, so the page shows real counts.
    for (const user of [0, 1]) {
      const guest = await api(server.url)('POST', '/api/auth/guest');
      const call = api(server.url, guest.body.token);
      const storyId = (await call('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
      const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
      const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest.body.token}`);
      for (let t = 1; t <= 2 + user; t++) {
        await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'look around' });
        await ws.until((e) => e.type === 'turn.completed' && e.turn_no === t, 20_000);
      }
      ws.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  it('shows live sessions, turns per minute, queue depth and spend by model', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 640 } });
    const errors = collectPageErrors(page);
    await page.goto(`${server.url}/admin?token=${ADMIN_TOKEN}`);
    await page.waitForFunction("document.getElementById('status')?.textContent?.startsWith('updated')");
    expect(await page.textContent('#sessions')).toBe('2');
    expect(Number(await page.textContent('#tpm'))).toBeGreaterThan(0);
    expect(await page.textContent('#queue')).toBe('0');
    const rows = await page.$$eval('#models tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    // Five turns, each a narrator and a judge call on the offline models.
    expect(rows.map((r) => [r[0], r[2]])).toEqual(expect.arrayContaining([['offline-narrator', '5'], ['offline-judge', '5']]));
    await screenshot(page, 'admin-view');
    expect(errors).toEqual([]);
    // Without the token the page's data is refused.
    const anonymous = await browser.newPage();
    const res = await anonymous.goto(`${server.url}/admin/stats`);
    expect(res?.status()).toBe(401);
  });
});
