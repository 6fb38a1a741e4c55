// Preloaded into a spawned server by bench/load.ts (`node --import .../loop-probe.mjs ...`):
// once a second, one JSON line on stderr with the event loop's delay and utilisation.
// Plain JS so it needs no loader; touches nothing in the application.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const RESOLUTION_MS = 10;
const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
h.enable();
let elu = performance.eventLoopUtilization();
const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 10) / 10);
setInterval(() => {
  const now = performance.eventLoopUtilization(elu);
  elu = performance.eventLoopUtilization();
  process.stderr.write(
    `${JSON.stringify({ bench_probe: 'loop', t: Date.now(), delay_p50_ms: ms(h.percentile(50)), delay_p99_ms: ms(h.percentile(99)), delay_max_ms: ms(h.max), utilization: Math.round(now.utilization * 1000) / 1000 })}\n`,
  );
  h.reset();
}, 1000).unref();
