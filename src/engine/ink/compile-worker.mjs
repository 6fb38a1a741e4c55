// A worker thread that compiles ink for compile-pool.ts: one request at a time, `{id, source}` in,
// `{id, result}` or `{id, error}` out. Plain JavaScript, so it loads without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import { compileRaw } from './compile-raw.mjs';

parentPort.on('message', ({ id, source }) => {
  try {
    parentPort.postMessage({ id, result: compileRaw(source) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
