import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { SocketSlots } from '../domain/ports/socket-slots.js';
import { silentLogger } from '../shared/logger.js';
import { InMemorySocketSlots } from './in-process/in-memory-socket-slots.js';
import { createRedis } from './redis/redis-connection.js';
import { RedisSocketSlots } from './redis/redis-socket-slots.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = createRedis(REDIS_URL, silentLogger(), 'socket-slots-test');
const opened: SocketSlots[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  redis.disconnect();
});

const prefix = () => `mdtest:${randomBytes(4).toString('hex')}`;
const redisSlots = (p = prefix(), ttlMs = 30_000, client = redis) => {
  const slots = new RedisSocketSlots({ redis: client, logger: silentLogger(), prefix: p, ttlMs });
  opened.push(slots);
  return slots;
};

/** One contract for both: a per-user cap, released slots come back, releasing twice is harmless. */
describe.each<[string, () => SocketSlots]>([
  ['InMemorySocketSlots', () => new InMemorySocketSlots()],
  ['RedisSocketSlots', () => redisSlots()],
])('%s', (_name, create) => {
  it('grants `limit` slots per user, then none until one is released', async () => {
    const slots = create();
    const a = await slots.acquire('u', 2);
    const b = await slots.acquire('u', 2);
    expect(a && b).toBeTruthy();
    expect(await slots.acquire('u', 2)).toBeNull();
    expect(await slots.acquire('someone-else', 2)).not.toBeNull();
    a!.release();
    a!.release();
    await new Promise((r) => setTimeout(r, 20));
    expect(await slots.count('u')).toBe(1);
    expect(await slots.acquire('u', 2)).not.toBeNull();
  });

  it('counts concurrent acquisitions exactly', async () => {
    const slots = create();
    const got = await Promise.all(Array.from({ length: 30 }, () => slots.acquire('busy', 5)));
    expect(got.filter(Boolean)).toHaveLength(5);
  });
});

describe('RedisSocketSlots across processes', () => {
  it('shares the cap between two web servers', async () => {
    const p = prefix();
    const web1 = redisSlots(p);
    const web2 = redisSlots(p);
    expect(await web1.acquire('u', 2)).not.toBeNull();
    expect(await web2.acquire('u', 2)).not.toBeNull();
    expect(await web1.acquire('u', 2)).toBeNull();
    expect(await web2.count('u')).toBe(2);
  });

  it('frees the slots of a server that stopped refreshing them within the TTL, and keeps a live server’s', async () => {
    const p = prefix();
    const crashedClient = createRedis(REDIS_URL, silentLogger(), 'socket-slots-crashed');
    const crashed = redisSlots(p, 600, crashedClient);
    const live = redisSlots(p, 600);
    expect(await crashed.acquire('u', 2)).not.toBeNull();
    expect(await live.acquire('u', 2)).not.toBeNull();
    crashedClient.disconnect(); // its refreshes fail from now on, like a killed process's
    expect(await live.acquire('u', 2)).toBeNull();
    await new Promise((r) => setTimeout(r, 1_000));
    // The live slot was refreshed (every TTL/3), the crashed one lapsed.
    expect(await live.count('u')).toBe(1);
    expect(await live.acquire('u', 2)).not.toBeNull();
  });

  it('keeps every slot of a server holding many alive, across users, in a few script calls', async () => {
    const p = prefix();
    const slots = redisSlots(p, 600);
    // More than one refresh call's worth (500), over a few users; one user holds most.
    const users = ['u1', 'u2', 'u3'];
    const held = await Promise.all(Array.from({ length: 1_203 }, (_, i) => slots.acquire(i < 1_200 ? 'many' : users[i - 1_200]!, 10_000)));
    expect(held.every(Boolean)).toBe(true);
    const calls = { refresh: 0 };
    const send = redis.sendCommand.bind(redis);
    const watched = redis as unknown as { sendCommand: typeof redis.sendCommand };
    watched.sendCommand = (command, stream) => {
      // This server's calls only: the other tests' servers share the client and refresh too.
      if ((command.name === 'evalsha' || command.name === 'eval') && command.args.some((a) => String(a).startsWith(`${p}:`))) calls.refresh += 1;
      return send(command, stream);
    };
    try {
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      watched.sendCommand = send;
    }
    // Refreshed every 200 ms for a second: about five rounds of three calls, not of 1,203.
    expect(calls.refresh).toBeGreaterThan(0);
    expect(calls.refresh).toBeLessThanOrEqual(6 * 3);
    expect(await slots.count('many')).toBe(1_200);
    expect(await slots.count('u1')).toBe(1);
    expect(await slots.count('u2')).toBe(1);
    expect(await slots.count('u3')).toBe(1);
  });
});
