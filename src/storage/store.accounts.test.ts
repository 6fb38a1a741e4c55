import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { ApiKeyService } from '../domain/api-keys.js';
import { ModerationService } from '../domain/moderation-service.js';
import { systemClock } from '../domain/ports/clock.js';
import { silentLogger } from '../shared/logger.js';
import { makeStory } from './__fixtures__/store-fixtures.js';
import { describeStore } from './__fixtures__/store-targets.js';

describeStore('API keys, suspensions and story visibility', (h) => {
  it('stores an API key as its SHA-256 only: no column holds the key', async () => {
    const keys = new ApiKeyService(h().store.apiKeys, systemClock, silentLogger(), { maxKeysPerUser: 5 });
    const { record, key } = await keys.create('alice', 'ci runner');
    const rows = await h().rows<Record<string, unknown>>(sql`SELECT * FROM api_keys WHERE id = ${record.id}`);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(row.prefix).toBe(key.slice(0, 11));
    expect(JSON.stringify(row)).not.toContain(key.slice(11));
    expect((await keys.authenticate(key)).ownerId).toBe('alice');
  });

  it('revokes only the owner’s key, counts active keys, and records use at most once a minute', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const clock = { now: () => now, monotonic: () => now };
    const store = h().store.apiKeys;
    const keys = new ApiKeyService(store, clock, silentLogger(), { maxKeysPerUser: 2 });
    const a = await keys.create('bob', 'one');
    await keys.create('bob', 'two');
    await expect(keys.create('bob', 'three')).rejects.toMatchObject({ code: 'forbidden', details: { quota: 'api_keys', limit: 2, used: 2 } });
    await expect(keys.revoke('carol', a.record.id)).rejects.toMatchObject({ code: 'not_found' });
    await keys.revoke('bob', a.record.id);
    await keys.revoke('bob', a.record.id); // again: harmless
    expect(await store.countActive('bob')).toBe(1);
    await expect(keys.authenticate(a.key)).rejects.toMatchObject({ code: 'api_key_revoked' });
    const b = await keys.create('bob', 'three');
    await keys.authenticate(b.key);
    await new Promise((r) => setTimeout(r, 50)); // the touch is not awaited
    const first = (await store.findByHash(createHash('sha256').update(b.key).digest('hex')))!.lastUsedAt;
    expect(first?.getTime()).toBe(now);
    now += 30_000;
    await keys.authenticate(b.key);
    now += 40_000;
    await keys.authenticate(b.key);
    await new Promise((r) => setTimeout(r, 50));
    const listed = (await keys.list('bob')).find((k) => k.id === b.record.id)!;
    expect(listed.lastUsedAt?.getTime()).toBe(now);
    await expect(keys.authenticate('md_' + 'x'.repeat(43))).rejects.toMatchObject({ code: 'api_key_invalid' });
  });

  it('suspends and reinstates users; the answer is cached, and the suspending process forgets its cache at once', async () => {
    let now = 1_000_000;
    const clock = { now: () => now, monotonic: () => now };
    const moderation = new ModerationService(h().store, clock, silentLogger(), { suspensionCacheMs: 10_000 });
    const otherProcess = new ModerationService(h().store, clock, silentLogger(), { suspensionCacheMs: 10_000 });
    expect(await otherProcess.isSuspended('dave')).toBe(false);
    await moderation.suspend('admin-1', 'dave', 'spam');
    await expect(moderation.assertNotSuspended('dave')).rejects.toMatchObject({ code: 'account_suspended' });
    expect(await otherProcess.isSuspended('dave')).toBe(false); // cached
    now += 10_001;
    expect(await otherProcess.isSuspended('dave')).toBe(true);
    expect((await moderation.listSuspensions()).find((s) => s.userId === 'dave')).toMatchObject({ reason: 'spam', suspendedBy: 'admin-1' });
    await moderation.unsuspend('admin-1', 'dave');
    expect(await moderation.isSuspended('dave')).toBe(false);
    await expect(moderation.unsuspend('admin-1', 'dave')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('tells which of many users are suspended in one read, and answers their checks from it', async () => {
    const now = 2_000_000;
    const clock = { now: () => now, monotonic: () => now };
    const admin = new ModerationService(h().store, clock, silentLogger(), { suspensionCacheMs: 0 });
    await admin.suspend('admin-1', 'gus', 'spam');
    await admin.suspend('admin-1', 'hal', 'spam');
    const users = ['gus', 'hal', 'ida', "o'brien", '名前'];
    expect((await h().store.suspensions.suspendedAmong(users)).sort()).toEqual(['gus', 'hal']);
    expect(await h().store.suspensions.suspendedAmong([])).toEqual([]);

    const reads = { get: 0, among: 0 };
    const suspensions = h().store.suspensions;
    const counted = {
      ...h().store,
      suspensions: {
        ...suspensions,
        get: (id: string) => (reads.get++, suspensions.get(id)),
        suspendedAmong: (ids: readonly string[]) => (reads.among++, suspensions.suspendedAmong(ids)),
      },
    };
    const web = new ModerationService(counted, clock, silentLogger(), { suspensionCacheMs: 10_000 });
    await web.primeSuspensions([...users, 'gus']);
    expect(await Promise.all(users.map((u) => web.isSuspended(u)))).toEqual([true, true, false, false, false]);
    // Primed again while every answer is fresh: nothing to read.
    await web.primeSuspensions(users);
    expect(reads).toEqual({ get: 0, among: 1 });
  });

  it('lists what a user may see: own stories, and public ones nobody hid', async () => {
    const { store } = h();
    const mine = await store.stories.saveStory(makeStory({ ownerId: 'erin' }));
    const shared = await store.stories.saveStory({ ...makeStory({ ownerId: 'erin' }), visibility: 'public' });
    const hidden = await store.stories.saveStory({ ...makeStory({ ownerId: 'erin' }), visibility: 'public' });
    const shipped = await store.stories.saveStory(makeStory({ ownerId: null }));
    expect([mine.visibility, shared.visibility, shipped.visibility]).toEqual(['private', 'public', 'public']);
    expect((await store.stories.updateStory(hidden.id, { hidden: true }))?.hidden).toBe(true);
    const frankSees = (await store.stories.listStories({ visibleTo: 'frank' })).map((s) => s.id);
    expect(frankSees).toEqual(expect.arrayContaining([shared.id, shipped.id]));
    expect(frankSees).not.toContain(mine.id);
    expect(frankSees).not.toContain(hidden.id);
    expect((await store.stories.listStories({ visibleTo: 'erin' })).map((s) => s.id)).toEqual(expect.arrayContaining([mine.id, shared.id, hidden.id]));
    expect((await store.stories.listStories({ hidden: true })).map((s) => s.id)).toEqual([hidden.id]);
    expect(await store.stories.listStories({ ownerId: 'erin' })).toHaveLength(3);
    // A new version keeps the visibility unless one is given.
    const again = await store.stories.saveStory({ ...makeStory({ ownerId: 'erin' }), slug: shared.slug });
    expect(again).toMatchObject({ id: shared.id, visibility: 'public' });
    expect(await store.stories.updateStory('missing', { title: 'x' })).toBeNull();
  });
});
