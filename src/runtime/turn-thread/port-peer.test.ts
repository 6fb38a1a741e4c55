import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { DramaError, isDramaError } from '../../domain/errors.js';
import { PortPeer } from './port-peer.js';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

/** Two peers on the two ends of a real message channel. */
function pair(left: Record<string, (...args: never[]) => unknown>, right: Record<string, (...args: never[]) => unknown>) {
  const channel = new MessageChannel();
  channels.push(channel);
  return { left: new PortPeer(channel.port1, left), right: new PortPeer(channel.port2, right) };
}

describe('PortPeer', () => {
  it('calls a method on the other side and gets its value, structured-cloned (dates, nested objects, CJK text)', async () => {
    const at = new Date('2026-12-06T10:00:00Z');
    const { left } = pair({}, { echo: (x: unknown) => ({ x, at }) });
    expect(await left.call('echo', { text: '灯亮了', n: [1, 2] })).toEqual({ x: { text: '灯亮了', n: [1, 2] }, at });
  });

  it('a DramaError thrown on the other side comes back as one, with its code, details and retryable flag', async () => {
    const { left } = pair({}, {
      refuse: () => {
        throw new DramaError('turn_in_progress', 'busy', { details: { task_id: 't1' }, retryable: true });
      },
    });
    const err = await left.call('refuse').catch((e: unknown) => e);
    expect(isDramaError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'turn_in_progress', message: 'busy', details: { task_id: 't1' }, retryable: true });
  });

  it('any other error comes back as a plain Error with its message (the queue treats it as a retryable internal error)', async () => {
    const { left } = pair({}, {
      crash: async () => {
        throw new TypeError('x is undefined');
      },
    });
    const err = await left.call('crash').catch((e: unknown) => e);
    expect(isDramaError(err)).toBe(false);
    expect((err as Error).message).toBe('x is undefined');
    await expect(left.call('nothing-here')).rejects.toThrow(/no method nothing-here/);
  });

  it('calls made in one loop iteration travel together, and each settles with its own answer, in order', async () => {
    const seen: number[] = [];
    const channel = new MessageChannel();
    channels.push(channel);
    let batches = 0;
    channel.port2.on('message', () => (batches += 1));
    const right = new PortPeer(channel.port2, { add: (n: number) => (seen.push(n), n + 1) });
    const left = new PortPeer(channel.port1, {});
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => left.call<number>('add', i)));
    expect(answers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(batches).toBe(1);
    expect(right).toBeDefined();
  });

  it('once the other side is gone, calls in flight and later ones fail with the reason, and notifications are dropped', async () => {
    const { left } = pair({}, { never: () => new Promise(() => undefined) });
    const inFlight = left.call('never');
    await new Promise((r) => setImmediate(r));
    const gone = new DramaError('internal', 'the turn thread stopped', { retryable: true });
    left.break(gone);
    await expect(inFlight).rejects.toBe(gone);
    await expect(left.call('never')).rejects.toBe(gone);
    expect(() => left.notify('never')).not.toThrow();
  });
});
