/**
 * Distributed mode in one test process: a server that runs turns (`all`) and a web-only one
 * (`serve`), on the test Redis (a prefix of their own) and a PostgreSQL schema of their own, with
 * the fixture stories installed. The id of the `vault` story comes with them.
 */
import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from './clients.js';
import { TEST_REDIS_URL } from './cluster.js';
import { dbTargets } from './test-env.js';

export interface WebAndWorker {
  web: RunningServer;
  worker: RunningServer;
  vaultStoryId: string;
  stop(): Promise<void>;
}

export async function startWebAndWorker(env: Record<string, string>): Promise<WebAndWorker> {
  const postgres = dbTargets().find((t) => t.name === 'postgres')!;
  const full = postgres.env({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `mdww:${randomBytes(4).toString('hex')}`, STORIES_DIR: 'tests/fixtures', ...env });
  // One after the other: both install the shipped stories into the same database.
  const worker = await startServer(full, silentLogger(), 'all');
  const web = await startServer(full, silentLogger(), 'serve');
  const token = (await api(web.url)('POST', '/api/auth/guest')).body.token as string;
  const stories = (await api(web.url, token)('GET', '/api/stories')).body.stories as { slug: string; id: string }[];
  return {
    web,
    worker,
    vaultStoryId: stories.find((s) => s.slug === 'vault')!.id,
    async stop() {
      await web.shutdown();
      await worker.shutdown();
      await postgres.cleanup();
    },
  };
}
