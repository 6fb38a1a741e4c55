/**
 * Calls between the all-in-one process's main thread and its turn thread, over the Worker's
 * message port: each side names the methods it serves, and calls the other side's by name. Errors
 * cross as data and come back as DramaErrors with their code and `retryable` intact, so the turn
 * queue on the main thread retries and fails turns exactly as when the handler ran beside it.
 * @module
 */
import { DramaError, DRAMA_ERROR_CODES, isDramaError, type DramaErrorCode } from '../../domain/errors.js';

/** An error as it crosses threads. */
export interface WireError {
  code?: string;
  message: string;
  details?: unknown;
  retryable?: boolean;
}

type Message =
  | { kind: 'call'; id: number; method: string; args: unknown[] }
  | { kind: 'notify'; method: string; args: unknown[] }
  | { kind: 'reply'; id: number; value?: unknown; error?: WireError };

/** The Worker (main side) or `parentPort` (thread side). */
export interface Port {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export type Methods = Record<string, (...args: never[]) => unknown>;

const KNOWN_CODES: ReadonlySet<string> = new Set(DRAMA_ERROR_CODES);

export function toWireError(err: unknown): WireError {
  if (isDramaError(err)) return { code: err.code, message: err.message, details: err.details, retryable: err.retryable };
  return { message: err instanceof Error ? err.message : String(err) };
}

/** A DramaError again; anything else an Error (which the queue treats as a retryable `internal`). */
export function fromWireError(wire: WireError): Error {
  if (wire.code !== undefined && KNOWN_CODES.has(wire.code)) {
    return new DramaError(wire.code as DramaErrorCode, wire.message, { details: wire.details, retryable: wire.retryable ?? false });
  }
  return new Error(wire.message);
}

export class PortPeer {
  readonly #port: Port;
  readonly #methods: Methods;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  #nextId = 1;
  #broken: Error | null = null;
  /** Messages of this loop iteration, posted together once it ends (see #send). */
  #outbox: Message[] | null = null;
  /** What crossed so far: posted batches and the calls, replies and notifications in them, each way. */
  readonly traffic = { batchesSent: 0, messagesSent: 0, batchesReceived: 0, messagesReceived: 0 };

  constructor(port: Port, methods: Methods) {
    this.#port = port;
    this.#methods = methods;
    port.on('message', (batch) => {
      this.traffic.batchesReceived += 1;
      this.traffic.messagesReceived += (batch as Message[]).length;
      for (const m of batch as Message[]) this.#receive(m);
    });
  }

  /**
   * A message between threads costs ~65 µs of CPU on both sides together (cloning, waking the
   * other thread), about as much for ten small ones as for one; with a hundred turns streaming at
   * once, many fall in the same loop iteration, so they go as one batch at its end.
   */
  #send(m: Message): void {
    if (this.#outbox) {
      this.#outbox.push(m);
      return;
    }
    this.#outbox = [m];
    setImmediate(() => {
      const batch = this.#outbox!;
      this.#outbox = null;
      this.traffic.batchesSent += 1;
      this.traffic.messagesSent += batch.length;
      this.#port.postMessage(batch);
    });
  }

  /** Call `method` on the other thread; settles with what it returns or throws. */
  call<T>(method: string, ...args: unknown[]): Promise<T> {
    if (this.#broken) return Promise.reject(this.#broken);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#send({ kind: 'call', id, method, args });
    });
  }

  /** Call `method` on the other thread without waiting for (or hearing of) its outcome. */
  notify(method: string, ...args: unknown[]): void {
    if (!this.#broken) this.#send({ kind: 'notify', method, args });
  }

  /** Whether the other thread is gone ({@link break}). */
  get broken(): boolean {
    return this.#broken !== null;
  }

  /** The other thread is gone: every call in flight, and every later one, fails with `err`. */
  break(err: Error): void {
    this.#broken = err;
    for (const pending of this.#pending.values()) pending.reject(err);
    this.#pending.clear();
  }

  #receive(m: Message): void {
    if (m.kind === 'reply') {
      const pending = this.#pending.get(m.id);
      if (!pending) return;
      this.#pending.delete(m.id);
      if (m.error) pending.reject(fromWireError(m.error));
      else pending.resolve(m.value);
      return;
    }
    const method = this.#methods[m.method] as ((...args: unknown[]) => unknown) | undefined;
    const outcome = (async () => {
      if (!method) throw new Error(`no method ${m.method} on this thread`);
      return method(...m.args);
    })();
    if (m.kind === 'notify') {
      outcome.catch(() => undefined);
      return;
    }
    outcome.then(
      (value) => this.#send({ kind: 'reply', id: m.id, value }),
      (err: unknown) => this.#send({ kind: 'reply', id: m.id, error: toWireError(err) }),
    );
  }
}
