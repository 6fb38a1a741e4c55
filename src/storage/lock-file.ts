/**
 * Single-owner lock for an embedded (PGlite) data directory. PGlite itself does not lock: two
 * processes on one directory silently lose or duplicate rows (observed: one process's rows gone after both wrote), so we refuse.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DramaError } from '../domain/errors.js';
import { isProcessAlive } from '../shared/process-alive.mjs';

export const LOCK_FILE_NAME = 'mock-drama.lock';

interface LockContent {
  pid: number;
  startedAt: string;
  token: string;
}

/** A held lock; `release` is idempotent and only deletes the file while it is still ours. */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function readLock(path: string): LockContent | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    return typeof parsed.pid === 'number' ? (parsed as LockContent) : null;
  } catch {
    return null; // missing, half-written or foreign content: treated as stale
  }
}

function tryCreate(path: string, content: LockContent): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx'); // O_CREAT|O_EXCL: atomic, exactly one process wins
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(content));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Take `dataDir/mock-drama.lock` or throw `database_locked` naming the live owner. A lock left by
 * a dead process is taken over. The lock is also released on process exit (best effort: a
 * SIGKILL leaves a stale file, which the next start takes over).
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE_NAME);
  const mine: LockContent = { pid: process.pid, startedAt: new Date().toISOString(), token: randomUUID() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (tryCreate(path, mine)) {
      // Two processes taking over the same stale lock could both unlink-and-create; the one whose
      // token is not in the file lost.
      if (readLock(path)?.token === mine.token) return holdLock(path, mine.token);
      continue;
    }
    const owner = readLock(path);
    // A pid that is alive, including our own (a second store in this process), owns the directory.
    if (owner && isProcessAlive(owner.pid)) {
      throw new DramaError(
        'database_locked',
        `DATA_DIR ${dataDir} is in use by process ${owner.pid} (since ${owner.startedAt}). ` +
          'The embedded database (PGlite) can only be opened by one process: stop that process, ' +
          'run web and worker in one process (all-in-one mode), or give this process its own DATA_DIR ' +
          `or a DATABASE_URL. If no such process is running, delete ${path}.`,
        { details: { dataDir, pid: owner.pid } },
      );
    }
    try {
      unlinkSync(path); // stale: its process is gone
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new DramaError('database_locked', `could not take the lock ${path}: other processes keep racing for it`);
}

function holdLock(path: string, token: string): DataDirLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    if (readLock(path)?.token !== token) return; // taken over meanwhile: not ours to delete
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { path, release };
}
