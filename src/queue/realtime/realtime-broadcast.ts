/**
 * Every session event also goes to Supabase Realtime, channel `session:<id>`, through Realtime's
 * broadcast HTTP endpoint (`POST {SUPABASE_URL}/realtime/v1/api/broadcast`, body
 * `{messages: [{topic, event, payload}]}`), so clients built on a Supabase SDK subscribe as usual.
 *
 * Off the turn's path: {@link withRealtimeBroadcast} hands each published event to a per-session
 * queue and returns at once. One sender per session posts its queue in order (what piled up while
 * a post was in flight goes in the next one, in order), retries a failed post a bounded number of
 * times, then drops it with a log line and a count. A Realtime outage never fails or delays a turn.
 * @module
 */
import type { EventBus, TurnEvent } from '../../domain/ports/event-bus.js';
import type { Logger } from '../../shared/log.js';

export interface RealtimeBroadcastOptions {
  /** The Supabase project URL. */
  supabaseUrl: string;
  /** The service role key (apikey and bearer). */
  serviceKey: string;
  /** Posts per batch before it is dropped (≥ 1). */
  attempts: number;
  /** The event as clients receive it on our WebSocket (the same body, the same id). */
  serialize(event: TurnEvent): unknown;
  logger: Logger;
  /** Wait before retry n is `backoffMs · 2^(n-1)` (default 200 ms). */
  backoffMs?: number;
  /** A post that takes longer is abandoned and counts as failed (default 5 s). */
  timeoutMs?: number;
  /** Events per post (default 100). */
  batchSize?: number;
  /** Events given up on after the last attempt. */
  onDropped?(count: number): void;
}

interface Lane {
  queue: TurnEvent[];
  running: boolean;
}

export class RealtimeBroadcaster {
  readonly #lanes = new Map<string, Lane>();
  readonly #endpoint: string;
  readonly #idle = new Set<() => void>();

  constructor(private readonly opts: RealtimeBroadcastOptions) {
    this.#endpoint = `${opts.supabaseUrl.replace(/\/+$/, '')}/realtime/v1/api/broadcast`;
  }

  /** Queues the event behind the session's earlier ones; never throws, never waits. */
  enqueue(event: TurnEvent): void {
    let lane = this.#lanes.get(event.sessionId);
    if (!lane) this.#lanes.set(event.sessionId, (lane = { queue: [], running: false }));
    lane.queue.push(event);
    if (!lane.running) void this.#drain(event.sessionId, lane);
  }

  /** Resolves once every queued event was sent or dropped (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.#lanes.size > 0) await new Promise<void>((resolve) => this.#idle.add(resolve));
  }

  async #drain(sessionId: string, lane: Lane): Promise<void> {
    lane.running = true;
    while (lane.queue.length > 0) {
      const batch = lane.queue.splice(0, this.opts.batchSize ?? 100);
      await this.#sendWithRetries(sessionId, batch);
    }
    lane.running = false;
    this.#lanes.delete(sessionId);
    for (const resolve of this.#idle) resolve();
    this.#idle.clear();
  }

  async #sendWithRetries(sessionId: string, batch: TurnEvent[]): Promise<void> {
    const body = JSON.stringify({ messages: batch.map((e) => ({ topic: `session:${sessionId}`, event: e.type, payload: this.opts.serialize(e) })) });
    let lastError = '';
    for (let attempt = 1; attempt <= this.opts.attempts; attempt++) {
      if (attempt > 1) await sleep((this.opts.backoffMs ?? 200) * 2 ** (attempt - 2));
      try {
        const res = await fetch(this.#endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', apikey: this.opts.serviceKey, authorization: `Bearer ${this.opts.serviceKey}` },
          body,
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        lastError = `HTTP ${res.status}`;
      } catch (err) {
        lastError = (err as Error).message;
      }
    }
    this.opts.onDropped?.(batch.length);
    this.opts.logger.warn({ sessionId, events: batch.length, firstId: batch[0]?.id, attempts: this.opts.attempts, error: lastError }, 'realtime broadcast dropped: Supabase Realtime did not take it');
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The bus, with every published event also handed to the broadcaster (after the bus gave it its id). */
export function withRealtimeBroadcast(bus: EventBus, broadcaster: RealtimeBroadcaster): EventBus {
  return {
    async publish(event) {
      const published = await bus.publish(event);
      broadcaster.enqueue(published);
      return published;
    },
    subscribe: bus.subscribe.bind(bus),
    replay: bus.replay.bind(bus),
    close: bus.close.bind(bus),
  };
}
