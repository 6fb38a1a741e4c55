import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeStore } from './__fixtures__/store-targets.js';

describeStore('audit log', (h) => {
  it('appends and lists newest first, filtered; the database refuses to change or remove an entry', async () => {
    const { store, rows } = h();
    await store.audit.append({ actor: 'u1', action: 'api_key.created', target: 'api_key:k1', requestId: 'r1' });
    await store.audit.append({ actor: 'u2', action: 'member.removed', target: 'session:s1/member:u3', requestId: null });
    const all = await store.audit.list({ limit: 10 });
    expect(all.map((e) => e.action)).toEqual(['member.removed', 'api_key.created']);
    expect(all[1]).toMatchObject({ actor: 'u1', target: 'api_key:k1', requestId: 'r1', createdAt: expect.any(Date) });
    expect(await store.audit.list({ actor: 'u2', limit: 10 })).toHaveLength(1);
    expect(await store.audit.list({ action: 'api_key.created', since: new Date(Date.now() + 60_000), limit: 10 })).toEqual([]);

    // Drizzle wraps the driver's error: the database's own message is its cause.
    const refusal = (err: { message?: string; cause?: { message?: string } }) => `${err.message} ${err.cause?.message ?? ''}`;
    for (const statement of [sql`UPDATE audit_log SET actor = 'someone-else'`, sql`DELETE FROM audit_log`, sql`TRUNCATE audit_log`]) {
      const err = await rows(statement).then(() => null, (e: Error & { cause?: Error }) => e);
      expect(err && refusal(err)).toMatch(/audit_log is append-only/);
    }
    expect((await store.audit.list({ limit: 10 })).map((e) => e.actor)).toEqual(['u2', 'u1']);
  });
});
