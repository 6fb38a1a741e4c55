import { afterEach, describe, expect, it } from 'vitest';
import { compileInk } from './compile-ink.js';
import { InkStoryEngine } from './ink-story-engine.js';
import { slowInk } from './__fixtures__/slow-ink.js';
import { CompilePool } from './compile-pool.js';

const SMALL = '# title: Tiny\nVAR gold = 1\n# writable: gold\nHello.\n* [Go] -> END\n';

describe('untrusted compiles run in a worker thread', () => {
  const engines: InkStoryEngine[] = [];
  const engine = (compileTimeoutMs?: number) => {
    const e = new InkStoryEngine(compileTimeoutMs === undefined ? {} : { compileTimeoutMs });
    engines.push(e);
    return e;
  };
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
  });

  it('gives the same output as compiling in-process, errors with {line, message} included', async () => {
    const e = engine();
    expect(await e.compile(SMALL, { untrusted: true })).toEqual(compileInk(SMALL));
    const bad = 'Hello\n-> start\n=== start ===\n{unclosed\n* [Go] -> nowhere\n';
    const out = await e.compile(bad, { untrusted: true });
    expect(out).toEqual(compileInk(bad));
    expect(out.ok).toBe(false);
  });

  it('stops a compile that runs past the limit with compile_timeout, and keeps the event loop free meanwhile', async () => {
    const e = engine(500);
    let ticks = 0;
    let worstGapMs = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstGapMs = Math.max(worstGapMs, now - last);
      last = now;
      ticks += 1;
    }, 20);
    const started = performance.now();
    await expect(e.compile(slowInk(3000), { untrusted: true })).rejects.toMatchObject({ code: 'compile_timeout', details: { timeout_ms: 500 } });
    clearInterval(timer);
    expect(performance.now() - started).toBeLessThan(3_000);
    // In-process, the loop would be held for the whole compile (seconds) and no timer would fire.
    // (Generous bounds: other test processes share the cores.)
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(worstGapMs).toBeLessThan(450);
    // The pool replaces the terminated worker.
    expect((await e.compile(SMALL, { untrusted: true })).ok).toBe(true);
  }, 20_000);

  it('times a compile from when its worker has loaded, not while a new worker is still loading', async () => {
    // A worker that takes 800 ms to load, against a 300 ms limit: before, the limit also ran
    // while the thread loaded, and a small story failed with compile_timeout on a busy machine.
    const pool = new CompilePool({ timeoutMs: 300, size: 1, workerUrl: new URL('./__fixtures__/slow-load-worker.mjs', import.meta.url) });
    try {
      const started = performance.now();
      await expect(pool.compile(SMALL)).resolves.toMatchObject({ json: expect.any(String) });
      expect(performance.now() - started).toBeGreaterThanOrEqual(700);
      // The limit still holds once the worker has loaded.
      await expect(pool.compile(slowInk(3000))).rejects.toMatchObject({ code: 'compile_timeout', details: { timeout_ms: 300 } });
    } finally {
      await pool.close();
    }
  }, 20_000);

  it('runs compiles side by side and queues the rest', async () => {
    const e = engine();
    const outs = await Promise.all(Array.from({ length: 5 }, (_, i) => e.compile(SMALL.replace('Hello.', `Hello ${i}.`), { untrusted: true })));
    expect(outs.every((o) => o.ok)).toBe(true);
    expect(new Set(outs.map((o) => (o.ok ? o.hash : ''))).size).toBe(5);
  });
});
