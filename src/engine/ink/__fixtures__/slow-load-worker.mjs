// For compile-pool.test.ts: the compile worker on a machine so busy that loading it takes 800 ms.
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 800);
await import('../compile-worker.mjs');
