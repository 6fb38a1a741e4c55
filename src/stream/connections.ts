/** Open stream connections, so shutdown can close them cleanly and metrics can count them. */
export class StreamConnections {
  readonly #closers = new Set<() => void>();

  add(close: () => void): () => void {
    this.#closers.add(close);
    return () => this.#closers.delete(close);
  }

  get size(): number {
    return this.#closers.size;
  }

  closeAll(): void {
    for (const close of [...this.#closers]) {
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
