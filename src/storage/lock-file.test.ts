import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './db.js';
import { acquireDataDirLock, LOCK_FILE_NAME } from './lock-file.js';
import { makeStory } from './__fixtures__/store-fixtures.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-lock-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('data-dir lock', () => {
  it('refuses a second store on an open PGlite directory, then reopens it with the data kept', async () => {
    const dataDir = tempDir();
    const first = await openStore({ dataDir, poolSize: 1 });
    const story = await first.stories.saveStory(makeStory());
    const lockPath = join(dataDir, LOCK_FILE_NAME);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });

    const err = await openStore({ dataDir, poolSize: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'database_locked' });
    expect((err as Error).message).toContain(`in use by process ${process.pid}`);

    await first.close();
    expect(existsSync(lockPath)).toBe(false);
    // Reopening re-runs the migrator (nothing to apply) and finds the data.
    const second = await openStore({ dataDir, poolSize: 1 });
    expect(second.vectorSupport).toBe('pgvector');
    expect((await second.stories.getStory(story.id))?.slug).toBe(story.slug);
    await second.close();
  });

  it('takes over a lock left by a dead process', () => {
    const dataDir = tempDir();
    const lockPath = join(dataDir, LOCK_FILE_NAME);
    writeFileSync(lockPath, JSON.stringify({ pid: 999999, startedAt: '2020-01-01T00:00:00Z', token: 'old' }));
    const lock = acquireDataDirLock(dataDir);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    lock.release(); // idempotent
    expect(existsSync(lockPath)).toBe(false);
  });

  it('treats an unreadable lock file as stale', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, LOCK_FILE_NAME), 'garbage');
    acquireDataDirLock(dataDir).release();
  });

  it('does not delete a lock that someone else took over meanwhile', () => {
    const dataDir = tempDir();
    const lockPath = join(dataDir, LOCK_FILE_NAME);
    const lock = acquireDataDirLock(dataDir);
    writeFileSync(lockPath, JSON.stringify({ pid: 1, startedAt: 'x', token: 'theirs' }));
    lock.release();
    expect(existsSync(lockPath)).toBe(true);
  });
});
