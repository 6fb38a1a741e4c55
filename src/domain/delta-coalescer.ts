/**
 * Narration deltas to the bus, at most one per `windowMs` after the first. A provider streams a
 * token every 10–30 ms; each delta published is a bus event (in distributed mode a Redis XADD and
 * PUBLISH) and a WebSocket frame per watcher (a `writev` each), which made frames the largest
 * cost per turn after the models. The first delta goes out at once, so the time to first token
 * is unchanged; later text waits at most `windowMs`, far below what a reader notices. 0 = every
 * delta as it comes.
 *
 * Later deltas go out on a clock shared by every turn of the process (one timer per window
 * length, ticking on multiples of `windowMs`), not on a timer per turn: the deltas of all the
 * turns a worker is streaming fall due in the same callback, so the bus sends them in one Redis
 * call (redis-event-bus.ts) instead of one each. Two deltas of a turn are still at least `windowMs`
 * apart (to the millisecond timers keep); the second delta of a turn may wait up to one window
 * longer than before.
 * @module
 */
export class DeltaCoalescer {
  #pending = '';
  #waiting = false;
  #lastFlush = -Infinity;
  readonly #clock: WindowClock;

  constructor(
    private readonly windowMs: number,
    private readonly emit: (text: string) => void,
    now: () => number = monotonic,
  ) {
    this.#clock = WindowClock.for(now, windowMs);
  }

  /** When this coalescer may send again. */
  get dueAt(): number {
    return this.#lastFlush + this.windowMs;
  }

  push(text: string): void {
    if (text.length === 0) return;
    this.#pending += text;
    if (this.#waiting) return;
    if (this.#clock.now() >= this.dueAt) return this.flush();
    this.#waiting = true;
    this.#clock.wait(this);
  }

  /** Publish what is buffered now (the stream ended, or the window passed). */
  flush(): void {
    this.#stopWaiting();
    if (this.#pending.length === 0) return;
    const text = this.#pending;
    this.#pending = '';
    this.#lastFlush = this.#clock.now();
    this.emit(text);
  }

  /** Drop what is buffered (the stream failed: its attempt's narration is void). */
  discard(): void {
    this.#stopWaiting();
    this.#pending = '';
  }

  #stopWaiting(): void {
    if (!this.#waiting) return;
    this.#waiting = false;
    this.#clock.drop(this);
  }
}

const monotonic = () => performance.now();

/**
 * The shared clock of one window length: a timer armed only while some coalescer waits, firing on
 * the next multiple of the window, where every coalescer that is due sends.
 */
class WindowClock {
  static readonly #clocks = new WeakMap<() => number, Map<number, WindowClock>>();

  static for(now: () => number, windowMs: number): WindowClock {
    let byWindow = WindowClock.#clocks.get(now);
    if (!byWindow) WindowClock.#clocks.set(now, (byWindow = new Map()));
    let clock = byWindow.get(windowMs);
    if (!clock) byWindow.set(windowMs, (clock = new WindowClock(now, windowMs)));
    return clock;
  }

  readonly #waiting = new Set<DeltaCoalescer>();
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly now: () => number,
    private readonly windowMs: number,
  ) {}

  wait(coalescer: DeltaCoalescer): void {
    this.#waiting.add(coalescer);
    this.#arm();
  }

  drop(coalescer: DeltaCoalescer): void {
    this.#waiting.delete(coalescer);
    if (this.#waiting.size === 0 && this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #arm(): void {
    if (this.#timer) return;
    const now = this.now();
    const next = (Math.floor(now / this.windowMs) + 1) * this.windowMs;
    this.#timer = setTimeout(() => this.#tick(), Math.ceil(next - now));
  }

  #tick(): void {
    this.#timer = undefined;
    // Timers fire on whole milliseconds: a coalescer due within the next one goes now, not a
    // whole window later.
    const horizon = this.now() + 1;
    for (const coalescer of this.#waiting) if (coalescer.dueAt <= horizon) coalescer.flush();
    if (this.#waiting.size > 0) this.#arm();
  }
}
