/**
 * The embedded database on its own thread. PGlite runs PostgreSQL compiled to WebAssembly on the
 * thread that calls it: in the all-in-one process that was the event loop, so every statement
 * stalled HTTP, WebSocket frames and turns, and half the process's CPU sat on one core. Here
 * PGlite runs on a worker thread behind a Unix socket (pglite-wire.mjs), and the main thread talks
 * to it through node-postgres, exactly as it talks to a PostgreSQL server: the same statements,
 * the same prepared-statement cache. PGlite is one session; its connections take turns on it.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { withTimeout } from '../shared/timeout.js';

const THREAD_URL = new URL('./pglite-thread.mjs', import.meta.url);

/**
 * Connections to the database thread: they take turns on PGlite's one session (pglite-wire.mjs), so
 * the next statement already waits there when one ends. With one, the session sat idle until the
 * event loop took each reply and sent the next statement (a turn's load: 180 ms at 100 players).
 */
export const PGLITE_CONNECTIONS = 4;

export interface PgliteThread {
  /** node-postgres connection string to the thread's socket. */
  url: string;
  /** Whether the database existed, or was made now from the installation's copy or by initdb. */
  from: 'existing' | 'template' | 'initdb';
  close(): Promise<void>;
}

/** Start PGlite on `dataPath` (a directory, or `memory://`) in a worker thread; resolves once it accepts connections. */
export async function startPgliteThread(dataPath: string, opts: { analyzeEveryMs: number; templatePath?: string | null }): Promise<PgliteThread> {
  // A directory of our own: a Unix socket path must stay under ~100 bytes, so not under DATA_DIR.
  const socketDir = mkdtempSync(join(tmpdir(), 'mock-drama-db-'));
  const thread = new Worker(THREAD_URL, { workerData: { dataPath, socketPath: join(socketDir, '.s.PGSQL.5432'), analyzeEveryMs: opts.analyzeEveryMs, templatePath: opts.templatePath ?? null } });
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  let from: PgliteThread['from'] = 'existing';
  try {
    await new Promise<void>((resolve, reject) => {
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`the database thread exited (${code}) before it was ready`)));
      thread.on('message', (m: { op: string; message?: string; from?: PgliteThread['from'] }) => {
        if (m.op === 'ready') {
          from = m.from ?? 'existing';
          resolve();
        } else if (m.op === 'failed') reject(new Error(`the embedded database did not start: ${m.message}`));
      });
    });
  } catch (err) {
    await thread.terminate();
    rmSync(socketDir, { recursive: true, force: true });
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    url: `postgresql://postgres@localhost:5432/postgres?host=${encodeURIComponent(socketDir)}`,
    from,
    close() {
      closing ??= (async () => {
        thread.postMessage({ op: 'close' });
        // PGlite flushes its files on close; a thread that does not finish in time is stopped.
        await withTimeout(exited, 10_000, async () => void (await thread.terminate()), { ref: true });
        rmSync(socketDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
