import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logger.js';
import { activeKey } from './bullmq-shared.js';
import { createRedis } from './redis-connection.js';
import { RedisSessionHeads } from './redis-session-heads.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('RedisSessionHeads (real Redis)', () => {
  const redis = createRedis(REDIS_URL, silentLogger(), 'test-heads');
  const prefixes: string[] = [];
  /** Two processes' views of one Redis (a web server and a worker, say). */
  const pair = (headTtlMs?: number) => {
    const prefix = `mdheads:${randomBytes(4).toString('hex')}`;
    prefixes.push(prefix);
    const make = () => new RedisSessionHeads({ redis, prefix, activeTtlMs: 60_000, ...(headTtlMs ? { headTtlMs } : {}) });
    return { a: make(), b: make(), prefix };
  };
  afterAll(async () => {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
  });

  async function known(heads: RedisSessionHeads, sessionId: string, userId: string, prefix: string) {
    const claim = await heads.claim(sessionId, userId, `task-${randomBytes(3).toString('hex')}`);
    if (claim.known && claim.claimed) await redis.del(activeKey(prefix, sessionId));
    return claim.known;
  }

  it('knows nothing at first; once remembered, the owner claims the turn slot in the same call, and only once', async () => {
    const { a, b, prefix } = pair();
    const first = await a.claim('s1', 'alice', 't1');
    expect(first).toEqual({ known: false, stamp: '0:0' });
    expect(await redis.get(activeKey(prefix, 's1'))).toBeNull();
    await a.remember('s1', 'alice', first.known ? '' : first.stamp);
    expect(await b.claim('s1', 'alice', 't2')).toEqual({ known: true, claimed: true });
    expect(await redis.get(activeKey(prefix, 's1'))).toBe('t2');
    expect(await redis.pttl(activeKey(prefix, 's1'))).toBeGreaterThan(50_000);
    expect(await a.claim('s1', 'alice', 't3')).toEqual({ known: true, claimed: false });
    expect(await redis.get(activeKey(prefix, 's1'))).toBe('t2');
    expect(a.stats()).toEqual({ claims: { known: 1, unknown: 1 }, reads: { known: 0, unknown: 0 } });
  });

  it('a peek tells the owner their session is known, anyone else nothing, and takes no slot', async () => {
    const { a, b, prefix } = pair();
    expect(await a.peek('p1', 'alice')).toEqual({ known: false, stamp: '0:0' });
    await a.remember('p1', 'alice', '0:0');
    expect(await b.peek('p1', 'alice')).toEqual({ known: true });
    expect(await b.peek('p1', 'mallory')).toEqual({ known: false, stamp: '0:0' });
    expect(await redis.get(activeKey(prefix, 'p1'))).toBeNull();
    await a.forget('p1');
    expect(await b.peek('p1', 'alice')).toEqual({ known: false, stamp: '1:0' });
    expect(b.stats()).toEqual({ claims: { known: 0, unknown: 0 }, reads: { known: 1, unknown: 2 } });
  });

  it('a peek with a task also tells whether that task holds the turn slot, known session or not', async () => {
    const { a, b, prefix } = pair();
    await a.remember('p2', 'alice', '0:0');
    expect(await b.claim('p2', 'alice', 't1')).toEqual({ known: true, claimed: true });
    expect(await b.peek('p2', 'alice', 't1')).toEqual({ known: true, holds: true });
    expect(await b.peek('p2', 'alice', 't0')).toEqual({ known: true, holds: false });
    // The slot is answered whoever asks; what the asker may read is the caller's check (a stranger's poll: 404).
    expect(await b.peek('p2', 'mallory', 't1')).toEqual({ known: false, stamp: '0:0', holds: true });
    await redis.del(activeKey(prefix, 'p2'));
    expect(await b.peek('p2', 'alice', 't1')).toEqual({ known: true, holds: false });
    // Without a task, no answer about the slot.
    expect(await b.peek('p2', 'alice')).toEqual({ known: true });
  });

  it("a new session's stamp, cut before its insert, is refused once every session was forgotten meanwhile", async () => {
    const { a, b } = pair();
    const stamp = await a.stamp('new1');
    expect(stamp).toBe('0:0');
    await a.remember('new1', 'alice', stamp);
    expect(await b.peek('new1', 'alice')).toEqual({ known: true });
    // A guest's play claimed by an account between the stamp and the remember.
    const late = await a.stamp('new2');
    await b.forgetAll();
    await a.remember('new2', 'guest', late);
    expect((await b.peek('new2', 'guest')).known).toBe(false);
    // And a head remembered before the forget of all is known no longer.
    expect((await b.peek('new1', 'alice')).known).toBe(false);
  });

  it('anyone but the owner is told nothing, and takes no slot', async () => {
    const { a, prefix } = pair();
    await a.remember('s2', 'alice', '0:0');
    const claim = await a.claim('s2', 'mallory', 't1');
    expect(claim.known).toBe(false);
    expect(await redis.get(activeKey(prefix, 's2'))).toBeNull();
  });

  it('a forget in one process is seen by the next claim in another', async () => {
    const { a, b, prefix } = pair();
    await a.remember('s3', 'alice', '0:0');
    expect(await known(b, 's3', 'alice', prefix)).toBe(true);
    await a.forget('s3');
    const claim = await b.claim('s3', 'alice', 't');
    expect(claim).toEqual({ known: false, stamp: '1:0' });
    // Other sessions keep theirs.
    await a.remember('s4', 'alice', '0:0');
    await a.forget('s3');
    expect(await known(b, 's4', 'alice', prefix)).toBe(true);
  });

  it('a remember cut before a forget (a read that raced a write) is refused', async () => {
    const { a, b, prefix } = pair();
    const claim = await a.claim('s5', 'alice', 't');
    const stamp = claim.known ? '' : claim.stamp;
    await b.forget('s5'); // the write finished while a's read ran
    await a.remember('s5', 'alice', stamp);
    expect(await known(a, 's5', 'alice', prefix)).toBe(false);
  });

  it('forgetting every session drops every head, and refuses remembers cut before it', async () => {
    const { a, b, prefix } = pair();
    await a.remember('s6', 'alice', '0:0');
    await a.remember('s7', 'bob', '0:0');
    const pending = await a.claim('s8', 'carol', 't');
    await b.forgetAll();
    expect(await known(a, 's6', 'alice', prefix)).toBe(false);
    expect(await known(a, 's7', 'bob', prefix)).toBe(false);
    await a.remember('s8', 'carol', pending.known ? '' : pending.stamp);
    expect(await known(a, 's8', 'carol', prefix)).toBe(false);
    const fresh = await a.claim('s6', 'alice', 't');
    expect(fresh).toEqual({ known: false, stamp: '0:1' });
    await a.remember('s6', 'alice', fresh.known ? '' : fresh.stamp);
    expect(await known(a, 's6', 'alice', prefix)).toBe(true);
  });

  it('a head expires on its own, and a claim does not extend it', async () => {
    const { a, prefix } = pair(300);
    await a.remember('s9', 'alice', '0:0');
    const ttl = await redis.pttl(`${prefix}:head:{s9}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    expect(await known(a, 's9', 'alice', prefix)).toBe(true);
    expect(await redis.pttl(`${prefix}:head:{s9}`)).toBeLessThanOrEqual(ttl);
    await new Promise((r) => setTimeout(r, 400));
    expect(await known(a, 's9', 'alice', prefix)).toBe(false);
  });

  it('release frees the slot only while this task holds it', async () => {
    const { a, prefix } = pair();
    await a.remember('s10', 'alice', '0:0');
    expect(await a.claim('s10', 'alice', 'mine')).toEqual({ known: true, claimed: true });
    await a.release('s10', 'other');
    expect(await redis.get(activeKey(prefix, 's10'))).toBe('mine');
    await a.release('s10', 'mine');
    expect(await redis.get(activeKey(prefix, 's10'))).toBeNull();
  });

  it('ids and owners of any shape (separators, CJK, braces) never match another owner', async () => {
    const { a, prefix } = pair();
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 1, maxLength: 12 }), async (session, owner, other) => {
        const sessionId = `p-${session}`;
        await a.remember(sessionId, owner, (await a.claim(sessionId, owner, 'x').then((c) => (c.known ? null : c.stamp))) ?? '0:0');
        await redis.del(activeKey(prefix, sessionId));
        expect(await known(a, sessionId, owner, prefix)).toBe(true);
        if (other !== owner) expect(await known(a, sessionId, other, prefix)).toBe(false);
        await a.forget(sessionId);
      }),
      { numRuns: 60 },
    );
  });
});
