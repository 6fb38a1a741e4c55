// A worker thread that compiles ink for compile-pool.ts: one request at a time, `{id, source}` in,
// `{id, result}` or `{id, error}` out, and `{ready: true}` once loaded (a compile's time limit starts
// then, not while a fresh thread is still loading the compiler). Plain JavaScript, so it loads
// without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import { compileRaw } from './compile-raw.mjs';

parentPort.on('message', ({ id, source }) => {
  try {
    parentPort.postMessage({ id, result: compileRaw(source) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort.postMessage({ ready: true });
