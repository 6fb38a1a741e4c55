/**
 * Compiling untrusted ink off the event loop. inkjs compiles synchronously (seconds for a large
 * story), so a compile on the main thread would stall every request of the process. Here it runs
 * in a small pool of worker threads, and a compile that exceeds its time limit is stopped by
 * terminating its worker: the request gets `compile_timeout` and the pool starts a fresh worker
 * the next time one is needed. A worker also has a heap cap, so a story that makes the compiler
 * allocate without end kills only that worker.
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DramaError } from '../../domain/errors.js';
import { withTimeout } from '../../shared/timeout.js';
import type { InkFiles } from '../../domain/ports/story-engine.js';
import type { RawCompile } from './compile-raw.mjs';

export interface CompilePoolOptions {
  /** Stop a compile after this long (from when a loaded worker starts on it). */
  timeoutMs: number;
  /** Worker threads at most (default: 2, or 1 on a single core). */
  size?: number;
  /** Heap cap of a worker (default 512 MB). */
  maxHeapMb?: number;
  /** The worker's module (tests: one that loads slowly). */
  workerUrl?: URL;
}

interface Job {
  source: string | InkFiles;
  resolve(raw: RawCompile): void;
  reject(err: unknown): void;
}

type Reply = { id: number; result: RawCompile } | { id: number; error: string };

const WORKER_URL = new URL('./compile-worker.mjs', import.meta.url);

/**
 * How long a new worker may take to load the compiler before the compile waiting for it fails.
 * A compile's own limit starts once its worker has loaded: on a busy machine loading alone has
 * taken longer than a short limit, and a story must not fail for the server's slowness.
 */
const LOAD_TIMEOUT_MS = 30_000;

export class CompilePool {
  readonly #idle: Worker[] = [];
  readonly #all = new Set<Worker>();
  readonly #waiting: Job[] = [];
  /** Settles when the worker has loaded the compiler (its `{ready: true}`), or fails if it exits first. */
  readonly #loaded = new WeakMap<Worker, Promise<void>>();
  readonly #size: number;
  #nextId = 0;
  #closed = false;

  constructor(private readonly options: CompilePoolOptions) {
    this.#size = Math.max(1, options.size ?? Math.min(2, availableParallelism()));
  }

  /** Compile in a worker; rejects with `compile_timeout` when the time limit passes. */
  compile(source: string | InkFiles): Promise<RawCompile> {
    if (this.#closed) return Promise.reject(new DramaError('shutting_down', 'The compiler pool is closed'));
    return new Promise<RawCompile>((resolve, reject) => {
      this.#waiting.push({ source, resolve, reject });
      this.#dispatch();
    });
  }

  /** Terminate every worker; compiles in flight or waiting fail with `shutting_down`. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#waiting.splice(0)) job.reject(new DramaError('shutting_down', 'The server is shutting down'));
    await Promise.all([...this.#all].map((w) => w.terminate()));
    this.#all.clear();
    this.#idle.length = 0;
  }

  #dispatch(): void {
    while (this.#waiting.length > 0) {
      const worker = this.#idle.pop() ?? (this.#all.size < this.#size ? this.#spawn() : undefined);
      if (!worker) return;
      void this.#run(worker, this.#waiting.shift()!);
    }
  }

  #spawn(): Worker {
    const worker = new Worker(this.options.workerUrl ?? WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 512 } });
    this.#all.add(worker);
    const loaded = new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean }) => {
        if (message?.ready !== true) return;
        worker.off('message', onMessage);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('exit', (code) => reject(new DramaError('ink_compile_error', `The ink compiler could not start (exit code ${code})`)));
    });
    loaded.catch(() => undefined);
    this.#loaded.set(worker, loaded);
    // A crashed worker is discarded here; the job it was running learns of it in #run.
    worker.once('exit', () => this.#discard(worker));
    worker.on('error', () => undefined);
    return worker;
  }

  #discard(worker: Worker): void {
    this.#all.delete(worker);
    const at = this.#idle.indexOf(worker);
    if (at >= 0) this.#idle.splice(at, 1);
  }

  async #run(worker: Worker, job: Job): Promise<void> {
    const id = ++this.#nextId;
    // An idle worker must not keep the process alive; a busy one must finish.
    worker.ref();
    try {
      job.resolve(await this.#exchange(worker, id, job.source));
      worker.unref();
      if (!this.#closed && this.#all.has(worker)) this.#idle.push(worker);
    } catch (err) {
      this.#discard(worker);
      void worker.terminate();
      job.reject(err);
    }
    this.#dispatch();
  }

  async #exchange(worker: Worker, id: number, source: string | InkFiles): Promise<RawCompile> {
    await withTimeout(this.#loaded.get(worker) ?? Promise.resolve(), LOAD_TIMEOUT_MS, () => {
      throw new DramaError('compile_timeout', `The ink compiler did not start within ${LOAD_TIMEOUT_MS} ms`, { details: { timeout_ms: LOAD_TIMEOUT_MS } });
    });
    let done: () => void = () => undefined;
    const reply = new Promise<RawCompile>((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        if ('result' in reply) resolve(reply.result);
        else reject(new DramaError('ink_compile_error', 'The ink compiler failed', { details: [{ line: 0, message: reply.error }] }));
      };
      const onExit = (code: number) => {
        const message = this.#closed ? 'The server is shutting down' : `The ink compiler stopped (exit code ${code}): the story may need too much memory`;
        reject(this.#closed ? new DramaError('shutting_down', message) : new DramaError('ink_compile_error', message, { details: [{ line: 0, message }] }));
      };
      done = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.postMessage({ id, source });
    });
    // On timeout the caller terminates the worker (#run), which stops the runaway compile.
    const timeoutMs = this.options.timeoutMs;
    return withTimeout(reply, timeoutMs, () => {
      throw new DramaError('compile_timeout', `Compiling the story took longer than ${timeoutMs} ms; it was stopped`, { details: { timeout_ms: timeoutMs } });
    }).finally(done);
  }
}
