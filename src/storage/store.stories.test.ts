import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createStore } from './create-store.js';
import { openDatabase } from './db.js';
import { MIGRATIONS_FOLDER } from './migrate-schema.js';
import { describeStore } from './__fixtures__/store-targets.js';
import { makeStory } from './__fixtures__/store-fixtures.js';

describeStore('stories and migrations', (h) => {
  it('applies every migration once and keeps them idempotent', async () => {
    const { target, rows, opened } = h();
    const journal = target.config.schema ? `"${target.config.schema}".__drizzle_migrations` : 'drizzle.__drizzle_migrations';
    if (target.name === 'postgres') {
      // Two processes starting together: the advisory lock serialises them, nothing is re-applied.
      const again = await Promise.all([openDatabase(target.config), openDatabase(target.config)]);
      await Promise.all(again.map((o) => createStore(o).close()));
    }
    // The vector migration is re-run at start when pgvector shows up later, so it must be re-runnable.
    const vectorSql = readFileSync(join(MIGRATIONS_FOLDER, '0001_pgvector_when_available.sql'), 'utf8');
    await opened.db.execute(sql.raw(vectorSql));
    const [count] = await rows<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${journal}`));
    const migrationFiles = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).length;
    expect(count?.n).toBe(migrationFiles);
    await h().store.ping();
  });

  it('creates a story with its first version', async () => {
    const { store } = h();
    const input = makeStory({ ownerId: 'alice' });
    const story = await store.stories.saveStory(input);
    expect(story).toMatchObject({ slug: input.slug, title: input.title, ownerId: 'alice', currentVersion: input.version.hash, source: input.source });
    expect(story.createdAt).toBeInstanceOf(Date);
    expect(await store.stories.getStory(story.id)).toEqual(story);
    expect(await store.stories.getVersion(story.id, input.version.hash)).toEqual({ ...input.version, storyId: story.id, versionNo: 1 });
    expect(await store.stories.getVersion(story.id, 'nope')).toBeNull();
    expect(await store.stories.getStory('missing')).toBeNull();
  });

  it('adds a new version to an existing (owner, slug) and moves current_version', async () => {
    const { store } = h();
    const v1 = makeStory({ ownerId: null });
    const first = await store.stories.saveStory(v1);
    const v2 = makeStory({ slug: v1.slug, ownerId: null, title: 'Renamed', source: 'v2' });
    const second = await store.stories.saveStory(v2);
    expect(second.id).toBe(first.id); // shipped stories (null owner) share one slug namespace
    expect(second).toMatchObject({ title: 'Renamed', source: 'v2', currentVersion: v2.version.hash });
    // Saving an old version again is not an error and does not duplicate it.
    const back = await store.stories.saveStory({ ...v1, slug: v1.slug });
    expect(back.currentVersion).toBe(v1.version.hash);
    expect(await store.stories.getVersion(first.id, v2.version.hash)).not.toBeNull();
    const [n] = await h().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM story_versions WHERE story_id = ${first.id}`);
    expect(n?.n).toBe(2);
  });

  it('keeps the same slug apart per owner, and lists what a user may see', async () => {
    const { store } = h();
    const shipped = makeStory({ ownerId: null });
    const mine = await store.stories.saveStory({ ...makeStory({ ownerId: 'bob' }), slug: shipped.slug });
    const pub = await store.stories.saveStory(shipped);
    expect(mine.id).not.toBe(pub.id);
    expect((await store.stories.getStoryBySlug(shipped.slug, null))?.id).toBe(pub.id);
    expect(await store.stories.getStoryBySlug('no-such-slug', null)).toBeNull();
    expect((await store.stories.getStoryBySlug(shipped.slug, 'bob'))?.id).toBe(mine.id);
    expect(await store.stories.getStoryBySlug(shipped.slug, 'carol')).toBeNull();
    const ids = (await store.stories.listStories()).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([mine.id, pub.id]));
    const carolSees = (await store.stories.listStories({ visibleTo: 'carol' })).map((s) => s.id);
    expect(carolSees).toContain(pub.id);
    expect(carolSees).not.toContain(mine.id);
    expect((await store.stories.listStories({ visibleTo: 'bob' })).map((s) => s.id)).toContain(mine.id);
  });
});
