import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

/** One sample of a series from the exposition text. */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} is not exposed`);
  return Number(line.split(' ')[1]);
}

describe('event loop lag', () => {
  it('reads how late the loop was, not the sampling interval: about 0 when idle, the blocked time when blocked', async () => {
    const metrics = new Metrics({ role: 'work' });
    await metrics.render();
    await new Promise((r) => setTimeout(r, 1050));
    const idle = await metrics.render();
    // prom-client's own series read at least 0.009 s here (its 10 ms interval), whatever the loop
    // did; the least of ten samples of a loop that waits on nothing stays well under that.
    expect(sample(idle, 'nodejs_eventloop_lag_min_seconds')).toBeLessThan(0.008);
    expect(sample(idle, 'nodejs_eventloop_lag_min_seconds')).toBeGreaterThan(0);

    const until = performance.now() + 250;
    while (performance.now() < until) {
      // Block the loop, as a long synchronous task would.
    }
    await new Promise((r) => setTimeout(r, 150));
    const blocked = await metrics.render();
    expect(sample(blocked, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThan(0.15);
    expect(sample(blocked, 'nodejs_eventloop_lag_max_seconds')).toBeLessThan(1.5);
    expect(sample(blocked, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('does not wake an idle process a hundred times a second', () => {
    // A fresh process with the metrics and nothing else to do, counted by the kernel: every
    // wake-up of a sleeping thread is a voluntary context switch. With prom-client's 10 ms monitor
    // this was over 200 in two seconds.
    const script = `
      const { Metrics } = await import(${JSON.stringify(new URL('./metrics.ts', import.meta.url).href)});
      new Metrics({ role: 'work' });
      await new Promise((r) => setTimeout(r, 300));
      const before = process.resourceUsage().voluntaryContextSwitches;
      await new Promise((r) => setTimeout(r, 2000));
      console.log(process.resourceUsage().voluntaryContextSwitches - before);
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(Number(out.trim())).toBeLessThan(80);
  });
});
