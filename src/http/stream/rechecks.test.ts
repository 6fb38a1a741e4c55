import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DramaError } from '../../domain/errors.js';
import type { HttpDeps } from '../app-context.js';
import { RECHECK_BATCH, StreamRechecks } from './rechecks.js';

/** An auth whose `verify` refuses suspended users and counts its calls, and the moderation's batch read. */
function fakeDeps(suspended: Set<string>) {
  const calls = { verify: [] as string[], prime: [] as string[][] };
  const deps = {
    auth: {
      async verify(credential: string) {
        calls.verify.push(credential);
        const userId = credential.replace(/^token-/, '');
        if (suspended.has(userId)) throw new DramaError('account_suspended', 'This account is suspended');
        if (userId === 'flaky') throw new DramaError('internal', 'The database is away');
        return { userId, expiresAt: null, admin: false, source: 'test' };
      },
    },
    accounts: {
      moderation: {
        async primeSuspensions(userIds: Iterable<string>) {
          calls.prime.push([...userIds]);
        },
      },
    },
  } as unknown as Pick<HttpDeps, 'auth' | 'accounts'>;
  return { deps, calls };
}

describe('StreamRechecks', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('checks every open stream each round: one suspension read per batch, one verify per credential, refusals once', async () => {
    const suspended = new Set(['u7', 'u600']);
    const { deps, calls } = fakeDeps(suspended);
    const rechecks = new StreamRechecks(deps, 1000);
    const refused: string[] = [];
    const users = Array.from({ length: RECHECK_BATCH + 200 }, (_, i) => `u${i}`);
    // Two streams of one user (two tabs) share their credential; a flaky check refuses nobody.
    for (const u of [...users, 'u7', 'u3', 'flaky']) rechecks.watch(u, `token-${u}`, (err) => refused.push(`${u}:${err.code}`));

    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.prime).toHaveLength(2);
    expect(calls.prime.flat().sort()).toEqual([...users, 'flaky'].sort());
    expect(calls.verify).toHaveLength(users.length + 1);
    expect(refused.sort()).toEqual(['u600:account_suspended', 'u7:account_suspended', 'u7:account_suspended']);

    // Refused streams are no longer checked; the rest are, each round.
    calls.verify.length = 0;
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.verify).toHaveLength(users.length - 1);
    expect(calls.verify).not.toContain('token-u7');
    expect(refused).toHaveLength(3);
  });

  it('checks nothing once every stream closed, and starts again with the next', async () => {
    const { deps, calls } = fakeDeps(new Set());
    const rechecks = new StreamRechecks(deps, 1000);
    const cancels = ['a', 'b'].map((u) => rechecks.watch(u, `token-${u}`, () => undefined));
    for (const cancel of cancels) cancel();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls.verify).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);

    rechecks.watch('c', 'token-c', () => undefined);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.verify).toEqual(['token-c']);
  });
});
