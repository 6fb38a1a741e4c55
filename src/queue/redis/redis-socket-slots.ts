import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { SocketSlot, SocketSlots } from '../../domain/ports/socket-slots.js';
import { chunked } from '../../shared/chunked.js';
import type { Logger } from '../../shared/log.js';

// Each user's slots are a sorted set of connection ids scored by when they expire, on Redis's own
// clock (TIME), so web servers with skewed clocks agree. Expired members are dropped before every
// count: the slots of a process that died lapse within one TTL, without anyone cleaning up.
const NOW = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`;

// KEYS: the user's set. ARGV: connection id, limit, ttl ms. Returns 1 when the slot was taken.
const ACQUIRE_LUA = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

// KEYS: one user's set per slot. ARGV: ttl ms, then each slot's connection id in KEYS' order. A
// live connection re-adds itself even if it lapsed (a stalled process): it is open, so it counts.
// Every slot a process holds is refreshed in a few calls of this, not one call per slot: a web
// server holding 10,000 idle sockets (20,000 slots with presence) refreshes them every ten seconds.
// A call spans many users' keys, so like the event bus's batches this needs a single Redis (or one
// primary), not Redis Cluster.
const REFRESH_LUA = `${NOW}
local ttl = tonumber(ARGV[1])
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now + ttl, ARGV[i + 1])
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return #KEYS`;

const COUNT_LUA = `${NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`;

/** Slots refreshed per script call. */
const REFRESH_BATCH = 500;

/** The scripts as commands: EVALSHA, the script's text sent only when Redis does not have it yet. */
interface SlotCommands {
  mdSlotAcquire(key: string, id: string, limit: string, ttlMs: string): Promise<number>;
  mdSlotCount(key: string): Promise<number>;
  mdSlotRefresh(numKeys: number, ...keysThenArgs: string[]): Promise<number>;
}

export interface RedisSocketSlotsOptions {
  redis: Redis;
  logger: Logger;
  prefix?: string;
  /** How long a slot lives without a refresh; refreshed every third of it while its socket is open. */
  ttlMs?: number;
}

/** {@link SocketSlots} shared by every web server through Redis. */
export class RedisSocketSlots implements SocketSlots {
  /** Slots this process holds: connection id → the user's key. */
  readonly #held = new Map<string, string>();
  readonly #ttlMs: number;
  readonly #timer: NodeJS.Timeout;
  readonly #commands: SlotCommands;

  constructor(private readonly options: RedisSocketSlotsOptions) {
    this.#ttlMs = options.ttlMs ?? 30_000;
    const redis = options.redis;
    redis.defineCommand('mdSlotAcquire', { numberOfKeys: 1, lua: ACQUIRE_LUA });
    redis.defineCommand('mdSlotCount', { numberOfKeys: 1, lua: COUNT_LUA });
    redis.defineCommand('mdSlotRefresh', { lua: REFRESH_LUA });
    this.#commands = redis as unknown as SlotCommands;
    this.#timer = setInterval(() => void this.#refresh(), Math.max(100, Math.floor(this.#ttlMs / 3)));
    this.#timer.unref();
  }

  #key(userId: string): string {
    return `${this.options.prefix ?? 'md'}:ws:${userId}`;
  }

  async acquire(userId: string, limit: number): Promise<SocketSlot | null> {
    const key = this.#key(userId);
    const id = `${hostname()}:${process.pid}:${randomUUID()}`;
    const taken = await this.#commands.mdSlotAcquire(key, id, String(limit), String(this.#ttlMs));
    if (taken !== 1) return null;
    this.#held.set(id, key);
    return {
      release: () => {
        if (!this.#held.delete(id)) return;
        // If this fails (Redis down), the slot lapses by itself within the TTL.
        this.options.redis.zrem(key, id).catch(() => undefined);
      },
    };
  }

  async count(userId: string): Promise<number> {
    return this.#commands.mdSlotCount(this.#key(userId));
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    const held = [...this.#held];
    this.#held.clear();
    if (held.length === 0) return;
    const pipeline = this.options.redis.pipeline();
    for (const [id, key] of held) pipeline.zrem(key, id);
    await pipeline.exec().catch(() => undefined);
  }

  async #refresh(): Promise<void> {
    if (this.#held.size === 0) return;
    const ttl = String(this.#ttlMs);
    const calls = chunked([...this.#held], REFRESH_BATCH).map((batch) =>
      this.#commands.mdSlotRefresh(batch.length, ...batch.map(([, key]) => key), ttl, ...batch.map(([id]) => id)),
    );
    try {
      await Promise.all(calls);
    } catch (err) {
      this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not refresh WebSocket slots');
    }
  }
}
