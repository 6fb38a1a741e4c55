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
