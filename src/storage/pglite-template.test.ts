/**
 * A new embedded database starts from the installation's copy of a freshly initialised one: it
 * is then a whole database (migrations, writes, a reopen), and a missing, damaged or unwritable
 * copy only means initdb runs as it did before copies were kept.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './db.js';
import { makeStory } from './__fixtures__/store-fixtures.js';
import { openPgliteData, pgliteTemplatePath, savePgliteTemplate } from './pglite-template.mjs';

const work = mkdtempSync(join(tmpdir(), 'pglite-template-'));
/** A copy of this test's own: the installation's (`npm test` builds it first), or made here by initdb. */
const copy = join(work, 'copies', 'pglite.tar.gz');

beforeAll(async () => {
  const installed = pgliteTemplatePath();
  mkdirSync(join(work, 'copies'), { recursive: true });
  if (installed && existsSync(installed)) return copyFileSync(installed, copy);
  const made = await openPgliteData('memory://', copy);
  expect(made.from).toBe('initdb');
  await made.db.close();
  expect(existsSync(copy)).toBe(true);
}, 60_000);

describe('the installation copy of a new embedded database', () => {
  it('is kept per PGlite and pgvector version under node_modules/.cache', () => {
    expect(pgliteTemplatePath()).toMatch(/\/node_modules\/\.cache\/mock-drama\/pglite-[\w.-]+-pgvector-[\w.-]+\.tar\.gz$/);
  });

  it('a data directory made from it migrates, stores, reopens as an existing database, and keeps its rows', async () => {
    const dataDir = join(work, 'from-copy');
    const lines: { obj: Record<string, unknown>; msg?: string }[] = [];
    const logger = { info: (obj: object, msg?: string) => lines.push({ obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) }), warn: () => undefined };
    const first = await openStore({ dataDir, poolSize: 1, pgliteTemplate: copy, logger });
    expect(lines.find((l) => l.obj.db === 'pglite')?.obj.pgdata).toBe('template');
    const story = await first.stories.saveStory(makeStory({ ownerId: 'alice' }));
    await first.close();

    lines.length = 0;
    const again = await openStore({ dataDir, poolSize: 1, pgliteTemplate: copy, logger });
    expect(lines.find((l) => l.obj.db === 'pglite')?.obj.pgdata).toBe('existing');
    expect(await again.stories.getStory(story.id)).toMatchObject({ id: story.id, ownerId: 'alice' });
    await again.close();
  }, 60_000);

  it('the database thread starts a new directory from it too', async () => {
    const dataDir = join(work, 'thread');
    const lines: Record<string, unknown>[] = [];
    const store = await openStore({ dataDir, poolSize: 1, pgliteThread: true, pgliteTemplate: copy, logger: { info: (obj) => lines.push(obj as Record<string, unknown>), warn: () => undefined } });
    try {
      expect(lines.find((l) => l.db === 'pglite')?.pgdata).toBe('template');
      const story = await store.stories.saveStory(makeStory({ ownerId: 'bob' }));
      expect((await store.stories.getStory(story.id))?.ownerId).toBe('bob');
    } finally {
      await store.close();
    }
  }, 60_000);

  it('a damaged copy is dropped and the database is made by initdb, which leaves a good copy', async () => {
    const damaged = join(work, 'damaged', 'pglite.tar.gz');
    mkdirSync(join(work, 'damaged'), { recursive: true });
    writeFileSync(damaged, gzipSync(Buffer.from('not a tar archive at all')));
    const dataPath = join(work, 'after-damage');
    const opened = await openPgliteData(dataPath, damaged);
    try {
      expect(opened.from).toBe('initdb');
      expect((await opened.db.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n).toBe(1);
    } finally {
      await opened.db.close();
    }
    // Replaced by this initdb's own copy, which the next new database starts from.
    expect(readFileSync(damaged).length).toBeGreaterThan(1_000_000);
    const next = await openPgliteData('memory://', damaged);
    expect(next.from).toBe('template');
    await next.db.close();
  }, 60_000);

  it('a copy that cannot be written (its folder is a file) changes nothing but the next start', async () => {
    // Also what a read-only node_modules gives.
    const blocker = join(work, 'a-file');
    writeFileSync(blocker, 'x');
    const opened = await openPgliteData('memory://', copy);
    try {
      expect(opened.from).toBe('template');
      expect(await savePgliteTemplate(opened.db, join(blocker, 'pglite.tar.gz'))).toBe(false);
    } finally {
      await opened.db.close();
    }
  }, 60_000);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));
