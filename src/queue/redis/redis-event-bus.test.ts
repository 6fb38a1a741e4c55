import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { countRedisCalls } from '../../../tests/support/redis-calls.js';
import { silentLogger } from '../../shared/logger.js';
import { runEventBusContract } from '../event-bus.contract.js';
import { createRedis } from './redis-connection.js';
import { DELIVERY_SAMPLE_MS, RedisEventBus } from './redis-event-bus.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function createBus(prefix = `mdtest:${randomBytes(4).toString('hex')}`) {
  const redis = createRedis(REDIS_URL, silentLogger(), 'test');
  const subscriber = createRedis(REDIS_URL, silentLogger(), 'test-sub');
  const bus = new RedisEventBus({ redis, subscriber, logger: silentLogger(), prefix, bufferSize: 100 });
  const close = bus.close.bind(bus);
  bus.close = async () => {
    await close();
    redis.disconnect();
    subscriber.disconnect();
  };
  return bus;
}

runEventBusContract('RedisEventBus', async () => createBus());

describe('RedisEventBus across processes', () => {
  it('two buses (two web servers) share ids and replay: a client can resume on the other one', async () => {
    const prefix = `mdtest:${randomBytes(4).toString('hex')}`;
    const a = createBus(prefix);
    const b = createBus(prefix);
    const s = 'shared-session';
    const first = await a.publish({ type: 'narration.delta', text: 'one', sessionId: s, taskId: 't', turnNo: 1 });
    const second = await b.publish({ type: 'narration.delta', text: 'two', sessionId: s, taskId: 't', turnNo: 1 });
    expect(second.id).toBe(first.id + 1);
    const got: number[] = [];
    await b.subscribe(s, (e) => got.push(e.id), { since: first.id - 1 });
    const third = await a.publish({ type: 'narration.delta', text: 'three', sessionId: s, taskId: 't', turnNo: 1 });
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([first.id, second.id, third.id]);
    await a.close();
    await b.close();
  });

  it('sends the events published in one turn of the event loop, whatever their sessions, in one Redis call', async () => {
    const redis = createRedis(REDIS_URL, silentLogger(), 'count');
    const subscriber = createRedis(REDIS_URL, silentLogger(), 'count-sub');
    const counted = new RedisEventBus({ redis, subscriber, logger: silentLogger(), prefix: `mdtest:${randomBytes(4).toString('hex')}` });
    const counter = countRedisCalls(redis);
    const seen: number[] = [];
    await counted.subscribe('s1', (e) => seen.push(e.id));
    counter.reset();
    const published = await Promise.all(
      ['s1', 's2', 's1', 's3', 's1', 's2'].map((sessionId, i) => counted.publish({ type: 'narration.delta', text: `${i}`, sessionId, taskId: 't', turnNo: 1 })),
    );
    expect(counter.calls).toBe(1);
    // Ids still count up per session, in publish order.
    const ids = (s: string) => published.filter((e) => e.sessionId === s).map((e) => e.id);
    expect(ids('s1')).toEqual([ids('s1')[0], ids('s1')[0]! + 1, ids('s1')[0]! + 2]);
    expect(ids('s2')[1]).toBe(ids('s2')[0]! + 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual(ids('s1'));
    // A later turn of the loop is a later call.
    await counted.publish({ type: 'narration.delta', text: 'late', sessionId: 's1', taskId: 't', turnNo: 1 });
    expect(counter.calls).toBe(2);
    await counted.close();
    redis.disconnect();
    subscriber.disconnect();
  });

  it('times every delivered event while they come slowly, and one per window when they come fast', async () => {
    const redis = createRedis(REDIS_URL, silentLogger(), 'lag');
    const subscriber = createRedis(REDIS_URL, silentLogger(), 'lag-sub');
    let clock = 1_000_000;
    const lags: number[] = [];
    const bus = new RedisEventBus({ redis, subscriber, logger: silentLogger(), prefix: `mdtest:${randomBytes(4).toString('hex')}`, onDelivery: (lag) => lags.push(lag), now: () => clock });
    const seen: number[] = [];
    await bus.subscribe('s', (e) => seen.push(e.id));
    const delta = (text: string) => bus.publish({ type: 'narration.delta', text, sessionId: 's', taskId: 't', turnNo: 1 });
    const delivered = (n: number) => vi.waitFor(() => expect(seen).toHaveLength(n));
    // A burst inside one window: all delivered, the first timed.
    await Promise.all(['a', 'b', 'c', 'd'].map(delta));
    await delivered(4);
    expect(lags).toHaveLength(1);
    // Events a window or more apart are each timed.
    for (const [i, text] of ['e', 'f', 'g'].entries()) {
      clock += DELIVERY_SAMPLE_MS;
      await delta(text);
      await delivered(5 + i);
    }
    expect(lags).toHaveLength(4);
    // The lag is the receiving clock against the event's own `at`.
    expect(lags.every((lag) => Number.isFinite(lag))).toBe(true);
    await bus.close();
    redis.disconnect();
    subscriber.disconnect();
  });

  it('keeps no gap or duplicate when events are published while the replay runs', async () => {
    const prefix = `mdtest:${randomBytes(4).toString('hex')}`;
    const pub = createBus(prefix);
    const sub = createBus(prefix);
    const s = 'busy-session';
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) ids.push((await pub.publish({ type: 'narration.delta', text: `${i}`, sessionId: s, taskId: 't', turnNo: 1 })).id);
    const got: number[] = [];
    const publishing = (async () => {
      for (let i = 50; i < 150; i++) ids.push((await pub.publish({ type: 'narration.delta', text: `${i}`, sessionId: s, taskId: 't', turnNo: 1 })).id);
    })();
    await sub.subscribe(s, (e) => got.push(e.id), { since: ids[9]! });
    await publishing;
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual(ids.slice(10));
    await pub.close();
    await sub.close();
  });
});
