/**
 * An embedded database for a route test file, ready in about a second: PGlite's initdb and our
 * migrations take several, opening a copy of a migrated data directory does not. The migrated
 * template is built once per machine (per migrations, PGlite version and fixture stories) under
 * the OS temp directory; each test file opens its own copy, deleted when it closes.
 * @module
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../../../config/env.js';
import { createRuntime } from '../../../runtime/create-runtime.js';
import { installedPackage } from '../../../shared/installed-package.mjs';
import { silentLogger } from '../../../shared/logger.js';
import { MIGRATIONS_FOLDER } from '../../../storage/migrate-schema.js';

const ROOT = join(tmpdir(), 'mock-drama-route-tests');
/** Copies and half-built templates older than this were left by a killed test run. */
const STALE_MS = 6 * 3600_000;

function sweepStale(): void {
  for (const name of readdirSync(ROOT)) {
    if (!name.startsWith('run-') && !name.startsWith('building-')) continue;
    const path = join(ROOT, name);
    // Another test process may remove it first.
    const mtime = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - mtime > STALE_MS) rmSync(path, { recursive: true, force: true });
  }
}

function hashFiles(hash: ReturnType<typeof createHash>, dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashFiles(hash, path);
    else hash.update(entry.name).update(readFileSync(path));
  }
}

/** What the template depends on: a change to any of it builds a new one. */
function templateKey(storiesDir: string): string {
  const hash = createHash('sha256');
  hash.update(installedPackage('@electric-sql/pglite').version);
  hashFiles(hash, MIGRATIONS_FOLDER);
  hashFiles(hash, storiesDir);
  return hash.digest('hex').slice(0, 16);
}

/** The migrated template with the stories of `env.STORIES_DIR` installed; built when missing. */
async function template(env: Env): Promise<string> {
  const dir = join(ROOT, `template-${templateKey(env.STORIES_DIR)}`);
  if (existsSync(dir)) return dir;
  mkdirSync(ROOT, { recursive: true });
  // Built aside and renamed into place, so a test file running beside us never opens half of one.
  const building = mkdtempSync(join(ROOT, 'building-'));
  const runtime = await createRuntime({ ...env, DATA_DIR: building }, { logger: silentLogger(), role: 'all' });
  await runtime.close();
  try {
    renameSync(building, dir);
  } catch {
    // Another test file built it first.
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/** A fresh copy of the template for one test file, and how to delete it. */
export async function copyDataDir(env: Env): Promise<{ dir: string; remove(): void }> {
  const source = await template(env);
  sweepStale();
  const dir = mkdtempSync(join(ROOT, 'run-'));
  cpSync(source, dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
