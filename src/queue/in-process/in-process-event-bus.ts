/**
 * The all-in-one event bus: per-session listeners and a bounded replay buffer in memory.
 * @module
 */
import type { EventBus, Subscription, TurnEvent, TurnEventInput } from '../../domain/ports/event-bus.js';
import type { Clock } from '../../domain/ports/clock.js';
import { systemClock } from '../../domain/ports/clock.js';

export interface InProcessEventBusOptions {
  /** Events kept per session for replay (default 1,000). */
  bufferSize?: number;
  /** Events older than this are not replayed (default 10 minutes). */
  bufferTtlMs?: number;
  clock?: Clock;
}

interface Channel {
  nextId: number;
  buffer: TurnEvent[];
  listeners: Set<(event: TurnEvent) => void>;
  lastActivity: number;
}

export class InProcessEventBus implements EventBus {
  readonly #channels = new Map<string, Channel>();
  readonly #bufferSize: number;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: InProcessEventBusOptions = {}) {
    this.#bufferSize = options.bufferSize ?? 1000;
    this.#ttlMs = options.bufferTtlMs ?? 600_000;
    this.#clock = options.clock ?? systemClock;
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(this.#ttlMs, 60_000));
    this.#sweeper.unref();
  }

  #channel(sessionId: string): Channel {
    let channel = this.#channels.get(sessionId);
    if (!channel) {
      // Ids start from the clock in microseconds, so after a restart they still exceed any id a
      // client saw before (a client resuming with `since` must not skip new events).
      channel = { nextId: this.#clock.now() * 1000, buffer: [], listeners: new Set(), lastActivity: this.#clock.now() };
      this.#channels.set(sessionId, channel);
    }
    return channel;
  }

  async publish(input: TurnEventInput): Promise<TurnEvent> {
    const channel = this.#channel(input.sessionId);
    channel.nextId += 1;
    channel.lastActivity = this.#clock.now();
    const event = { ...input, id: channel.nextId, at: new Date(channel.lastActivity).toISOString() } as TurnEvent;
    channel.buffer.push(event);
    if (channel.buffer.length > this.#bufferSize) channel.buffer.splice(0, channel.buffer.length - this.#bufferSize);
    for (const listener of channel.listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber (e.g. a closed socket) must not stop delivery to the others.
      }
    }
    return event;
  }

  async replay(sessionId: string, since: number): Promise<TurnEvent[]> {
    return this.#replaySync(sessionId, since);
  }

  #replaySync(sessionId: string, since: number): TurnEvent[] {
    const channel = this.#channels.get(sessionId);
    if (!channel) return [];
    const oldest = this.#clock.now() - this.#ttlMs;
    return channel.buffer.filter((e) => e.id > since && Date.parse(e.at) >= oldest);
  }

  async subscribe(sessionId: string, listener: (event: TurnEvent) => void, opts: { since?: number } = {}): Promise<Subscription> {
    const channel = this.#channel(sessionId);
    // Replay and registration happen in one synchronous step, so no event falls between them.
    if (opts.since !== undefined) {
      for (const event of this.#replaySync(sessionId, opts.since)) listener(event);
    }
    channel.listeners.add(listener);
    return {
      unsubscribe: () => {
        channel.listeners.delete(listener);
      },
    };
  }

  #sweep(): void {
    const cutoff = this.#clock.now() - this.#ttlMs;
    for (const [id, channel] of this.#channels) {
      if (channel.listeners.size === 0 && channel.lastActivity < cutoff) this.#channels.delete(id);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    for (const channel of this.#channels.values()) channel.listeners.clear();
  }
}
