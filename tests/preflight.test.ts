/**
 * `npm test` without the services the suite needs stops at once with one message that names each
 * missing service and how to get it.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliEnv, REPO_ROOT } from './support/cli-process.js';

describe('test preflight', () => {
  it('with Redis and Chromium missing: one message naming both and how to get them, within seconds, no test run', () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'src/config/env.test.ts'], {
      cwd: REPO_ROOT,
      env: cliEnv({ TEST_REDIS_URL: 'redis://127.0.0.1:1', CHROMIUM_PATH: '/nonexistent/chromium', CI: '1' }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status).not.toBe(0);
    expect(out).toContain('The tests need services that are not available here');
    expect(out).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1 .*redis-server/);
    expect(out).toMatch(/Chromium at \/nonexistent\/chromium .*apt-get install/);
    expect(out).not.toMatch(/PostgreSQL at/);
    expect(out).not.toMatch(/loadEnv/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
