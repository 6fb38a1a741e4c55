import { describe, expect, it } from 'vitest';
import { withTimeout } from './timeout.js';

/** Timers that keep the process alive right now. */
const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('withTimeout', () => {
  it('settles as the promise does when it is first, value or error', async () => {
    await expect(withTimeout(Promise.resolve('done'), 1000, () => 'late')).resolves.toBe('done');
    await expect(withTimeout(Promise.reject(new Error('failed')), 1000, () => 'late')).rejects.toThrow('failed');
  });

  it('settles with what onTimeout returns or throws when the time runs out first', async () => {
    const pending = new Promise<string>(() => undefined);
    await expect(withTimeout(pending, 5, () => 'timed out')).resolves.toBe('timed out');
    await expect(
      withTimeout(pending, 5, () => {
        throw new Error('no answer within 5 ms');
      }),
    ).rejects.toThrow('no answer within 5 ms');
  });

  it('leaves no timer behind once decided, and by default never holds the process open', async () => {
    const before = liveTimers();
    let resolve!: () => void;
    const waited = withTimeout(new Promise<void>((r) => (resolve = r)), 60_000, () => undefined, { ref: true });
    expect(liveTimers()).toBe(before + 1);
    resolve();
    await waited;
    expect(liveTimers()).toBe(before);

    const unref = withTimeout(new Promise<void>((r) => (resolve = r)), 60_000, () => undefined);
    expect(liveTimers()).toBe(before);
    resolve();
    await unref;
  });
});
