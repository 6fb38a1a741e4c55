/**
 * The distributed event bus: each event is appended to a capped Redis Stream per session (for
 * replay on any web server) and fanned out with PUBLISH (for live delivery), in one Lua call that
 * also assigns the session's next event id, so ids strictly increase across every process.
 * @module
 */
import type { Redis } from 'ioredis';
import type { EventBus, Subscription, TurnEvent, TurnEventInput } from '../../domain/ports/event-bus.js';
import type { Logger } from '../../shared/log.js';

export interface RedisEventBusOptions {
  /** Command connection (shared is fine). */
  redis: Redis;
  /** Dedicated connection for SUBSCRIBE (a subscribed connection can run nothing else). */
  subscriber: Redis;
  logger: Logger;
  prefix?: string;
  bufferSize?: number;
  bufferTtlMs?: number;
  /** Told, once per received event, how long ago it was published (ms; the publisher's clock). */
  onDelivery?: (lagMs: number) => void;
}

// KEYS: seq, stream. ARGV: channel, seed id, maxlen, ttl seconds, event JSON without id.
// The stream entry id is "<eventId>-0", so XRANGE by event id needs no index.
const PUBLISH_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[2]) end
local id = string.format('%d', redis.call('INCR', KEYS[1]))
local body = string.sub(ARGV[5], 1, -2) .. ',"id":' .. id .. '}'
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], id .. '-0', 'e', body)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[1], body)
return id
`;

interface Channel {
  listeners: Set<(event: TurnEvent) => void>;
  subscribed: Promise<unknown>;
}

export class RedisEventBus implements EventBus {
  readonly #redis: Redis;
  readonly #sub: Redis;
  readonly #logger: Logger;
  readonly #prefix: string;
  readonly #bufferSize: number;
  readonly #ttlMs: number;
  readonly #channels = new Map<string, Channel>();
  readonly #onDelivery: ((lagMs: number) => void) | undefined;

  constructor(options: RedisEventBusOptions) {
    this.#redis = options.redis;
    this.#sub = options.subscriber;
    this.#logger = options.logger;
    this.#prefix = options.prefix ?? 'md';
    this.#bufferSize = options.bufferSize ?? 1000;
    this.#ttlMs = options.bufferTtlMs ?? 600_000;
    this.#onDelivery = options.onDelivery;
    this.#redis.defineCommand('mdPublishEvent', { numberOfKeys: 2, lua: PUBLISH_LUA });
    this.#sub.on('message', (channel: string, message: string) => this.#deliver(channel, message));
  }

  #keys(sessionId: string) {
    const base = `${this.#prefix}:ev:{${sessionId}}`;
    return { seq: `${base}:seq`, stream: `${base}:stream`, channel: `${base}:live` };
  }

  async publish(input: TurnEventInput): Promise<TurnEvent> {
    const keys = this.#keys(input.sessionId);
    const at = new Date().toISOString();
    const body = JSON.stringify({ ...input, at });
    // Seeded from the clock (µs) when the counter is new, like the in-process bus, so ids keep
    // growing even after the keys expired.
    const id = (await (this.#redis as unknown as Record<string, (...a: unknown[]) => Promise<number>>).mdPublishEvent!(
      keys.seq,
      keys.stream,
      keys.channel,
      String(Date.now() * 1000),
      String(this.#bufferSize),
      String(Math.ceil(this.#ttlMs / 1000)),
      body,
    )) as number;
    return { ...input, at, id: Number(id) } as TurnEvent;
  }

  async replay(sessionId: string, since: number): Promise<TurnEvent[]> {
    const entries = await this.#redis.xrange(this.#keys(sessionId).stream, `${since + 1}-0`, '+');
    const oldest = Date.now() - this.#ttlMs;
    return entries
      .map(([, fields]) => JSON.parse(fields[1]!) as TurnEvent)
      .filter((e) => Date.parse(e.at) >= oldest);
  }

  async subscribe(sessionId: string, listener: (event: TurnEvent) => void, opts: { since?: number } = {}): Promise<Subscription> {
    const { channel: name } = this.#keys(sessionId);
    let channel = this.#channels.get(name);
    if (!channel) {
      channel = { listeners: new Set(), subscribed: this.#sub.subscribe(name) };
      this.#channels.set(name, channel);
    }
    if (opts.since === undefined) {
      channel.listeners.add(listener);
      await channel.subscribed;
      return this.#subscription(name, listener);
    }
    // Live first (buffered), then replay, then the buffered live events the replay did not cover:
    // no gap between the two, and no duplicate.
    let lastId = opts.since;
    let buffered: TurnEvent[] | null = [];
    const gate = (event: TurnEvent) => {
      if (buffered) buffered.push(event);
      else if (event.id > lastId) {
        lastId = event.id;
        listener(event);
      }
    };
    channel.listeners.add(gate);
    await channel.subscribed;
    for (const event of await this.replay(sessionId, opts.since)) {
      lastId = event.id;
      listener(event);
    }
    const pending = buffered;
    buffered = null;
    for (const event of pending) gate(event);
    return this.#subscription(name, gate);
  }

  #subscription(name: string, listener: (event: TurnEvent) => void): Subscription {
    return {
      unsubscribe: () => {
        const channel = this.#channels.get(name);
        if (!channel) return;
        channel.listeners.delete(listener);
        if (channel.listeners.size === 0) {
          this.#channels.delete(name);
          this.#sub.unsubscribe(name).catch((err: Error) => this.#logger.warn({ err: err.message }, 'redis unsubscribe failed'));
        }
      },
    };
  }

  #deliver(name: string, message: string): void {
    const channel = this.#channels.get(name);
    if (!channel) return;
    let event: TurnEvent;
    try {
      event = JSON.parse(message) as TurnEvent;
    } catch {
      return;
    }
    if (this.#onDelivery) {
      const lag = Date.now() - Date.parse(event.at);
      if (Number.isFinite(lag)) this.#onDelivery(lag);
    }
    for (const listener of channel.listeners) {
      try {
        listener(event);
      } catch {
        // One failing socket must not starve the others.
      }
    }
  }

  async close(): Promise<void> {
    this.#channels.clear();
  }
}
