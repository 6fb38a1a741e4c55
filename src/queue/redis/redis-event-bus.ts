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
  /**
   * Told how long ago a received event was published (ms; the publisher's clock): for every event
   * while they come at most one per `deliverySampleMs`, for the first of each such window when
   * they come faster.
   */
  onDelivery?: (lagMs: number) => void;
  /** Default {@link DELIVERY_SAMPLE_MS}; 0 times every event. */
  deliverySampleMs?: number;
  /** The clock the sampling window is read from (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * Timing an event's delivery (parsing its `at`, recording it in the histogram) cost a web process
 * ~11 µs per event measured in place, as much as parsing the event (bench/README.md, 2026-12-06),
 * for a metric read only as quantiles. Under load at most one event per window is timed: a web
 * process delivering a thousand events a second times a hundred; a quiet one times every event.
 */
export const DELIVERY_SAMPLE_MS = 10;

// Every event published during one turn of the event loop goes out in one call of this script,
// whichever sessions they belong to: one write to Redis, one reply, and Redis fans the batch out
// to each subscribed web server in one write too. A worker's narration deltas fall due together
// (delta-coalescer.ts aligns them to a shared clock), so these batches are large under load.
// KEYS: per event, its session's seq and stream. ARGV: maxlen, ttl seconds, seed id, then per
// event its channel and its JSON without id. Returns the ids, in order.
// The stream entry id is "<eventId>-0", so XRANGE by event id needs no index.
const PUBLISH_BATCH_LUA = `
local ids = {}
for i = 1, #KEYS / 2 do
  local seq, stream = KEYS[2 * i - 1], KEYS[2 * i]
  if redis.call('EXISTS', seq) == 0 then redis.call('SET', seq, ARGV[3]) end
  local id = string.format('%d', redis.call('INCR', seq))
  local body = string.sub(ARGV[2 * i + 3], 1, -2) .. ',"id":' .. id .. '}'
  redis.call('XADD', stream, 'MAXLEN', '~', ARGV[1], id .. '-0', 'e', body)
  redis.call('EXPIRE', seq, ARGV[2])
  redis.call('EXPIRE', stream, ARGV[2])
  redis.call('PUBLISH', ARGV[2 * i + 2], body)
  ids[i] = tonumber(id)
end
return ids
`;

/** Events per script call at most; a larger burst takes several calls, in order. */
const MAX_BATCH = 200;

interface Pending {
  keys: { seq: string; stream: string; channel: string };
  body: string;
  resolve: (id: number) => void;
  reject: (err: unknown) => void;
}

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
  readonly #deliverySampleMs: number;
  readonly #now: () => number;
  #lastTimed = -Infinity;
  #batch: Pending[] = [];
  #flushScheduled = false;

  constructor(options: RedisEventBusOptions) {
    this.#redis = options.redis;
    this.#sub = options.subscriber;
    this.#logger = options.logger;
    this.#prefix = options.prefix ?? 'md';
    this.#bufferSize = options.bufferSize ?? 1000;
    this.#ttlMs = options.bufferTtlMs ?? 600_000;
    this.#onDelivery = options.onDelivery;
    this.#deliverySampleMs = options.deliverySampleMs ?? DELIVERY_SAMPLE_MS;
    this.#now = options.now ?? Date.now;
    this.#redis.defineCommand('mdPublishEvents', { lua: PUBLISH_BATCH_LUA });
    this.#sub.on('message', (channel: string, message: string) => this.#deliver(channel, message));
  }

  #keys(sessionId: string) {
    const base = `${this.#prefix}:ev:{${sessionId}}`;
    return { seq: `${base}:seq`, stream: `${base}:stream`, channel: `${base}:live` };
  }

  async publish(input: TurnEventInput): Promise<TurnEvent> {
    const at = new Date().toISOString();
    const body = JSON.stringify({ ...input, at });
    const id = await new Promise<number>((resolve, reject) => {
      this.#batch.push({ keys: this.#keys(input.sessionId), body, resolve, reject });
      if (this.#batch.length >= MAX_BATCH) this.#flush();
      else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // After this turn of the loop's callbacks (timers, then socket reads), not after each one.
        setImmediate(() => this.#flush());
      }
    });
    return { ...input, at, id } as TurnEvent;
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    const args: string[] = [];
    for (const p of batch) args.push(p.keys.seq, p.keys.stream);
    // Seeded from the clock (µs) when a counter is new, like the in-process bus, so ids keep
    // growing even after the keys expired.
    args.push(String(this.#bufferSize), String(Math.ceil(this.#ttlMs / 1000)), String(Date.now() * 1000));
    for (const p of batch) args.push(p.keys.channel, p.body);
    const call = (this.#redis as unknown as Record<string, (...a: unknown[]) => Promise<number[]>>).mdPublishEvents!(batch.length * 2, ...args);
    call.then(
      (ids) => {
        for (let i = 0; i < batch.length; i++) batch[i]!.resolve(Number(ids[i]));
      },
      (err: unknown) => {
        for (const p of batch) p.reject(err);
      },
    );
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
      const now = this.#now();
      if (now - this.#lastTimed >= this.#deliverySampleMs) {
        this.#lastTimed = now;
        const lag = now - Date.parse(event.at);
        if (Number.isFinite(lag)) this.#onDelivery(lag);
      }
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
