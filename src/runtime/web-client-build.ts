/**
 * Builds the web client (web/ → web/dist) with Vite when it is missing or older than its
 * sources, so `npm install && npm start` is all a player needs. Concurrent builders (two
 * servers, parallel test files) take turns on a lock file, and a build replaces web/dist in one
 * rename, so a running server never serves half a build.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../shared/log.js';
import { builtStamp, rebuildDirectory, sourcesStamp } from '../shared/built-dir.mjs';

export const WEB_DIR = fileURLToPath(new URL('../../web', import.meta.url));
export const WEB_DIST_DIR = join(WEB_DIR, 'dist');
const SDK_DIR = fileURLToPath(new URL('../../sdk', import.meta.url));

/** The sources the bundle is made of: web/ and sdk/ without their tests, builds and packages. */
const webSourcesStamp = () =>
  sourcesStamp([WEB_DIR, SDK_DIR], (name) => name === 'dist' || name === 'node_modules' || name.endsWith('.test.ts'));

/** False in deployments that ship the API only (the Docker image copies no web/). */
export function hasWebClientSources(): boolean {
  return existsSync(join(WEB_DIR, 'index.html'));
}

/** True when there are web sources and web/dist was not built from exactly them. */
export async function webClientIsStale(): Promise<boolean> {
  if (!hasWebClientSources()) return false;
  return builtStamp(WEB_DIST_DIR) !== webSourcesStamp();
}

/** `vite build` into the fresh directory the rebuild gives it. */
async function viteBuild(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), root: WEB_DIR, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/**
 * Build web/dist if it is missing or stale. Never throws: a server without its web client
 * still serves the API, so a failed build is logged and reported as `failed`.
 */
export async function ensureWebClientBuilt(logger: Logger, opts: { force?: boolean } = {}): Promise<'fresh' | 'built' | 'no-sources' | 'failed'> {
  if (!hasWebClientSources()) return 'no-sources';
  if (!opts.force && !(await webClientIsStale())) return 'fresh';
  try {
    const started = Date.now();
    const result = await rebuildDirectory({
      dest: WEB_DIST_DIR,
      stamp: webSourcesStamp,
      force: opts.force ?? false,
      build: async (dir) => {
        logger.info({ dir: WEB_DIST_DIR }, 'building the web client (web/dist is missing or older than its sources)');
        await viteBuild(dir);
      },
    });
    if (result === 'built') logger.info({ ms: Date.now() - started }, 'web client built');
    return result;
  } catch (err) {
    logger.error({ err }, 'could not build the web client; the API still works (run `npm run build:web` to see why)');
    return 'failed';
  }
}
