// A directory built from sources (web/dist from web/, dist/ from src/), rebuilt when it is missing
// or older than them. Plain ESM with types beside it (built-dir.d.mts): bin/mock-drama.js uses it
// before any TypeScript loader is registered, and the TypeScript code uses the same rules.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from './process-alive.mjs';

/** Where a build records the stamp of the sources it was made from. */
const STAMP = '.sources-stamp';
/** A lock older than this belongs to a builder that died. */
const STALE_LOCK_MS = 180_000;

/**
 * A fingerprint of the sources under `dirs`: file count and newest modification time. Entries
 * whose name starts with a dot, and those `skip` names, are left out (directories with all below).
 */
export function sourcesStamp(dirs, skip = () => false) {
  let count = 0;
  let newest = 0;
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || skip(entry.name, entry.isDirectory())) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else {
        count += 1;
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const dir of dirs) visit(dir);
  return `${count}:${Math.round(newest)}`;
}

/** The stamp `dest` was built from, or null when it was never (completely) built. */
export function builtStamp(dest) {
  try {
    return readFileSync(join(dest, STAMP), 'utf8');
  } catch {
    return null;
  }
}

/** The build lock holds its builder's pid: a lock whose builder died (or is very old) is taken over. */
async function acquireLock(lock) {
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lock, { force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
      const age = Date.now() - ((await stat(lock).catch(() => null))?.mtimeMs ?? Date.now());
      if ((holder > 0 && !isProcessAlive(holder)) || age > STALE_LOCK_MS) await rm(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Builds `dest` when it is missing or not built from the current sources (`stamp()`), or always
 * with `force`. Concurrent builders (two servers, parallel test files) take turns on a lock file
 * beside it; each builds into a fresh directory that replaces `dest` in one rename, so a reader
 * never sees half a build. Returns 'fresh' when there was nothing to do.
 */
export async function rebuildDirectory({ dest, stamp, build, force = false }) {
  if (!force && builtStamp(dest) === stamp()) return 'fresh';
  const parent = dirname(dest);
  const name = basename(dest);
  const release = await acquireLock(join(parent, `.${name}-lock`));
  try {
    // Another process may have built it while we waited for the lock.
    const current = stamp();
    if (!force && builtStamp(dest) === current) return 'fresh';
    // Temporary directories of builders that died mid-build (only the lock holder removes them).
    for (const entry of await readdir(parent)) if (entry.startsWith(`.${name}-tmp-`)) await rm(join(parent, entry), { recursive: true, force: true });
    const tmp = join(parent, `.${name}-tmp-${process.pid}-${randomBytes(3).toString('hex')}`);
    try {
      await build(tmp);
      await writeFile(join(tmp, STAMP), current);
      const old = `${tmp}-old`;
      if (existsSync(dest)) await rename(dest, old);
      await rename(tmp, dest);
      await rm(old, { recursive: true, force: true });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return 'built';
  } finally {
    await release();
  }
}
