import { DramaError } from '../../domain/errors.js';
import type { TurnEvent } from '../../domain/ports/event-bus.js';
import type { SocketSlot } from '../../domain/ports/socket-slots.js';
import type { HttpDeps } from '../app-context.js';

export type StreamTransport = 'websocket' | 'sse';

/** Open stream connections, so shutdown can close them cleanly and metrics can count them. */
export class StreamConnections {
  readonly #closers = new Map<() => void, StreamTransport>();

  add(close: () => void, transport: StreamTransport): () => void {
    this.#closers.set(close, transport);
    return () => this.#closers.delete(close);
  }

  get size(): number {
    return this.#closers.size;
  }

  /** Open connections by transport. */
  counts(): Record<StreamTransport, number> {
    const counts = { websocket: 0, sse: 0 };
    for (const transport of this.#closers.values()) counts[transport] += 1;
    return counts;
  }

  closeAll(): void {
    for (const close of [...this.#closers.keys()]) {
      try {
        close();
      } catch {
        // Already closed by the peer.
      }
    }
    this.#closers.clear();
  }
}

export { presenceKey } from '../../domain/presence.js';
export { whenRefused } from './rechecks.js';

/** The event that ends a member's stream: they left the shared session or were removed. */
export function removedFrom(event: TurnEvent, userId: string): boolean {
  return event.type === 'member.left' && event.userId === userId;
}

/** Parse a resume point from `?since=` or `Last-Event-ID`; undefined means live only. */
export function parseSince(value: string | undefined | null): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Longest delay setTimeout honours (about 24.8 days); longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Call `expire` when a token's expiry passes (null: never). Returns a cancel function. Streams
 * outlive the request that authenticated them, so they are closed when the token would no longer
 * be accepted.
 */
export function whenExpired(expiresAt: number | null, expire: () => void): () => void {
  if (expiresAt === null) return () => undefined;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(expire, Math.max(0, left));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/**
 * The per-user cap on open streams (`MAX_SOCKETS_PER_USER`), shared by WebSocket and SSE so a
 * client cannot get around it by switching transport: `take` resolves to a slot to release when
 * the stream ends, or null when the user already holds the cap. 0 = no cap.
 */
export function streamSlots(deps: HttpDeps): { cap: number; take(userId: string): Promise<SocketSlot | null>; refusal(): DramaError } {
  const cap = deps.security?.maxSocketsPerUser ?? 0;
  // Where the count lives (this process, or Redis for the cluster) is the runtime's choice.
  const slots = deps.socketSlots;
  if (cap > 0 && !slots) throw new DramaError('config_invalid', 'security.maxSocketsPerUser needs socketSlots to count in');
  const unlimited: SocketSlot = { release: () => undefined };
  return {
    cap,
    take: (userId) => (cap > 0 && slots ? slots.acquire(userId, cap) : Promise.resolve(unlimited)),
    refusal: () => new DramaError('rate_limited', `Too many open event streams (at most ${cap} per user, WebSocket and SSE together)`, { details: { limit: cap, retry_after_seconds: 5 } }),
  };
}
