/**
 * Builds the web client (web/ → web/dist) with Vite when it is missing or older than its
 * sources, so `npm install && npm start` is all a player needs. Concurrent builders (two
 * servers, parallel test files) take turns on a lock file, and a build replaces web/dist in one
 * rename, so a running server never serves half a build.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../shared/log.js';
import { isProcessAlive } from '../shared/process-alive.js';

export const WEB_DIR = fileURLToPath(new URL('../../web', import.meta.url));
export const WEB_DIST_DIR = join(WEB_DIR, 'dist');
const SDK_DIR = fileURLToPath(new URL('../../sdk', import.meta.url));
const STAMP = '.sources-stamp';
const LOCK = join(WEB_DIR, '.build-lock');
/** A lock older than this belongs to a builder that died. */
const STALE_LOCK_MS = 180_000;

/** A fingerprint of the sources the bundle is made of: file count and newest modification time. */
async function sourcesStamp(): Promise<string> {
  let count = 0;
  let newest = 0;
  const visit = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (!entry.name.endsWith('.test.ts')) {
        count += 1;
        newest = Math.max(newest, (await stat(path)).mtimeMs);
      }
    }
  };
  await visit(WEB_DIR);
  await visit(SDK_DIR);
  return `${count}:${Math.round(newest)}`;
}

/** False in deployments that ship the API only (the Docker image copies no web/). */
export function hasWebClientSources(): boolean {
  return existsSync(join(WEB_DIR, 'index.html'));
}

/** True when there are web sources and web/dist was not built from exactly them. */
export async function webClientIsStale(): Promise<boolean> {
  if (!hasWebClientSources()) return false;
  const built = await readFile(join(WEB_DIST_DIR, STAMP), 'utf8').catch(() => null);
  return built !== (await sourcesStamp());
}

/** The build lock holds its builder's pid: a lock whose builder died (or is very old) is taken over. */
async function acquireLock(): Promise<() => Promise<void>> {
  for (;;) {
    try {
      const handle = await open(LOCK, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(LOCK, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(await readFile(LOCK, 'utf8').catch(() => ''));
      const age = Date.now() - ((await stat(LOCK).catch(() => null))?.mtimeMs ?? Date.now());
      if ((holder > 0 && !isProcessAlive(holder)) || age > STALE_LOCK_MS) await rm(LOCK, { force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Temporary build directories of builders that died mid-build (only the lock holder calls this). */
async function removeLeftovers(): Promise<void> {
  for (const name of await readdir(WEB_DIR)) if (name.startsWith('.dist-')) await rm(join(WEB_DIR, name), { recursive: true, force: true });
}

/** Run `vite build` into a fresh directory, then swap it in for web/dist. */
async function buildInto(stamp: string): Promise<void> {
  const { build } = await import('vite');
  const tmp = join(WEB_DIR, `.dist-${process.pid}-${randomBytes(3).toString('hex')}`);
  try {
    await build({ configFile: join(WEB_DIR, 'vite.config.ts'), root: WEB_DIR, logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } });
    await writeFile(join(tmp, STAMP), stamp);
    const old = `${tmp}-old`;
    if (existsSync(WEB_DIST_DIR)) await rename(WEB_DIST_DIR, old);
    await rename(tmp, WEB_DIST_DIR);
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Build web/dist if it is missing or stale. Never throws: a server without its web client
 * still serves the API, so a failed build is logged and reported as `failed`.
 */
export async function ensureWebClientBuilt(logger: Logger, opts: { force?: boolean } = {}): Promise<'fresh' | 'built' | 'no-sources' | 'failed'> {
  if (!hasWebClientSources()) return 'no-sources';
  if (!opts.force && !(await webClientIsStale())) return 'fresh';
  let release: (() => Promise<void>) | null = null;
  try {
    release = await acquireLock();
    // Another process may have built it while we waited for the lock.
    if (!opts.force && !(await webClientIsStale())) return 'fresh';
    await removeLeftovers();
    const started = Date.now();
    logger.info({ dir: WEB_DIST_DIR }, 'building the web client (web/dist is missing or older than its sources)');
    await buildInto(await sourcesStamp());
    logger.info({ ms: Date.now() - started }, 'web client built');
    return 'built';
  } catch (err) {
    logger.error({ err }, 'could not build the web client; the API still works (run `npm run build:web` to see why)');
    return 'failed';
  } finally {
    await release?.();
  }
}
