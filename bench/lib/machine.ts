import { cpus, loadavg, totalmem } from 'node:os';

const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

/** What the numbers were measured on, and how busy the machine was when the run began. */
export function machine() {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model ?? 'unknown',
    mem_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadavg_at_start: START_LOAD,
    loadavg_at_end: load(),
  };
}

const START_LOAD = load();

/** Warn on stderr when other work is already using the cores: the numbers will be noisy. */
export function warnIfBusy(log: (m: string) => void): void {
  const [one] = START_LOAD;
  if (one !== undefined && one > cpus().length * 0.5) {
    log(`warning: 1-minute load average is ${one} on ${cpus().length} cores; other processes will skew these numbers`);
  }
}
