/**
 * The event loop's lag, under prom-client's names (`nodejs_eventloop_lag_*`), sampled ten times a
 * second instead of a hundred.
 *
 * prom-client's default collector watches the loop with `monitorEventLoopDelay` at a 10 ms
 * resolution: a timer that wakes every process 100 times a second, busy or idle (an idle worker
 * made ~200 wake-ups a second, about half of them this timer, and spent 1.7–1.8 % of a core).
 * Node 20's histogram also records the whole interval between two wake-ups, not how late the
 * second one came, so its values carried the resolution itself (an idle process reported a p99
 * "lag" of 10 ms). Here a timer due every 100 ms records how late it fires: an idle loop reads
 * about 1 ms (timers' own granularity), a loop blocked for 250 ms reads up to 250 ms.
 * @module
 */
import { createHistogram } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/** Sampling interval of the lag histogram (ms). */
export const EVENT_LOOP_SAMPLE_MS = 100;

/** prom-client's own lag series: {@link replaceEventLoopLag} removes them and registers its own. */
const NAMES = {
  lag: 'nodejs_eventloop_lag_seconds',
  min: 'nodejs_eventloop_lag_min_seconds',
  max: 'nodejs_eventloop_lag_max_seconds',
  mean: 'nodejs_eventloop_lag_mean_seconds',
  stddev: 'nodejs_eventloop_lag_stddev_seconds',
  p50: 'nodejs_eventloop_lag_p50_seconds',
  p90: 'nodejs_eventloop_lag_p90_seconds',
  p99: 'nodejs_eventloop_lag_p99_seconds',
} as const;

/**
 * Replace prom-client's lag series in `registry` (after `collectDefaultMetrics`, which must have
 * been given a long `eventLoopMonitoringPrecision` so that its own timer sleeps) with series read
 * from a timer due every {@link EVENT_LOOP_SAMPLE_MS}. Each scrape reports the samples since the
 * previous scrape (the last values stay when there were none).
 */
export function replaceEventLoopLag(registry: Registry): void {
  for (const name of Object.values(NAMES)) registry.removeSingleMetric(name);
  // A timer of our own rather than Node's monitor: after each reset Node's drops the first
  // interval, so a loop blocked just after a scrape went unseen. Recorded in µs (at least 1).
  const histogram = createHistogram();
  let due = performance.now() + EVENT_LOOP_SAMPLE_MS;
  const sample = () => {
    const now = performance.now();
    histogram.record(Math.max(1, Math.round((now - due) * 1000)));
    due = now + EVENT_LOOP_SAMPLE_MS;
    setTimeout(sample, EVENT_LOOP_SAMPLE_MS).unref();
  };
  setTimeout(sample, EVENT_LOOP_SAMPLE_MS).unref();
  const late = (us: number) => (Number.isFinite(us) ? us / 1e6 : 0);
  const gauge = (name: string, help: string, collect?: (this: Gauge) => void | Promise<void>) =>
    new Gauge({ name, help, registers: [registry], ...(collect ? { collect } : {}) });

  // Registered first, and its collect sets the others before they are read: the registry reads
  // every series of a scrape in registration order, each as its get() is called.
  gauge(NAMES.lag, 'How long the event loop took to reach a callback queued at scrape time (s).', function collect() {
    if (histogram.count > 0) {
      min.set(late(histogram.min));
      max.set(late(histogram.max));
      mean.set(late(histogram.mean));
      stddev.set(late(histogram.stddev));
      p50.set(late(histogram.percentile(50)));
      p90.set(late(histogram.percentile(90)));
      p99.set(late(histogram.percentile(99)));
    }
    histogram.reset();
    const started = process.hrtime.bigint();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        this.set(Number(process.hrtime.bigint() - started) / 1e9);
        resolve();
      }),
    );
  });
  const min = gauge(NAMES.min, 'The least the event loop was late since the last scrape (s).');
  const max = gauge(NAMES.max, 'The most the event loop was late since the last scrape (s).');
  const mean = gauge(NAMES.mean, 'How late the event loop was on average since the last scrape (s).');
  const stddev = gauge(NAMES.stddev, 'The standard deviation of how late the event loop was (s).');
  const p50 = gauge(NAMES.p50, 'The median of how late the event loop was (s).');
  const p90 = gauge(NAMES.p90, 'The 90th percentile of how late the event loop was (s).');
  const p99 = gauge(NAMES.p99, 'The 99th percentile of how late the event loop was (s).');
}
