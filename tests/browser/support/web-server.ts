/**
 * An in-process server that also serves the built web client, with the shipped stories and the
 * offline models narrating slowly enough to watch the text stream in.
 */
import { createDramaClient, unwrap, type DramaClient } from '../../../sdk/index.js';
import { startServer, type RunningServer } from '../../../src/runtime/start-server.js';
import { ensureWebClientBuilt, WEB_DIST_DIR } from '../../../src/runtime/web-client-build.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { testServerEnv } from '../../support/test-env.js';

export async function startWebServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const built = await ensureWebClientBuilt(silentLogger());
  if (built === 'failed' || built === 'no-sources') throw new Error(`the web client could not be built (${built}); run npm run build:web`);
  return startServer(
    testServerEnv({
      STORIES_DIR: 'stories',
      JWT_SECRET: 'browser-test-secret-0123456789abcdefghij',
      OFFLINE_CHUNK_DELAY_MS: '40',
      RATE_LIMIT_ACTIONS_PER_MINUTE: '0',
      RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP: '0',
      ...env,
    }),
    silentLogger(),
    'all',
    { webClientDir: WEB_DIST_DIR },
  );
}

/** An SDK client with the page's own token (to check what the server holds). */
export function clientFor(server: RunningServer, token: string): DramaClient {
  return createDramaClient({ baseUrl: server.url, token });
}

/** Whether the server offers undo/redo/retry/fork (they arrive with the time-control API). */
export async function hasTimeControls(server: RunningServer): Promise<boolean> {
  const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  return ['undo', 'redo', 'retry', 'fork'].every((c) => `/api/sessions/{id}/${c}` in doc.paths);
}

export { unwrap };
