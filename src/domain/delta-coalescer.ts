/**
 * Narration deltas to the bus, at most one per `windowMs` after the first. A provider streams a
 * token every 10–30 ms; each delta published is a bus event (in distributed mode a Redis XADD and
 * PUBLISH) and a WebSocket frame per watcher (a `writev` each), which made frames the largest
 * cost per turn after the models. The first delta goes out at once, so the time to first token
 * is unchanged; later text waits at most `windowMs`, far below what a reader notices. 0 = every
 * delta as it comes.
 * @module
 */
export class DeltaCoalescer {
  #pending = '';
  #timer: NodeJS.Timeout | undefined;
  #lastFlush = -Infinity;

  constructor(
    private readonly windowMs: number,
    private readonly emit: (text: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(text: string): void {
    if (text.length === 0) return;
    this.#pending += text;
    if (this.#timer) return;
    const wait = this.#lastFlush + this.windowMs - this.now();
    if (wait <= 0) return this.flush();
    this.#timer = setTimeout(() => this.flush(), wait);
  }

  /** Publish what is buffered now (the stream ended, or the window passed). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const text = this.#pending;
    this.#pending = '';
    this.#lastFlush = this.now();
    this.emit(text);
  }

  /** Drop what is buffered (the stream failed: its attempt's narration is void). */
  discard(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = '';
  }
}
