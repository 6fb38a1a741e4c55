/** Process CPU from /proc (Linux), for the benchmarks that read it. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** /proc's clock ticks per second (USER_HZ: 100 on Linux, whatever the kernel's own HZ). */
export const USER_HZ = 100;

/** CPU seconds (user + system, every thread) a process has used so far. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces or parentheses: the fields start after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

/** The pids of every process called exactly `name` (none when there are none). */
export function pidsNamed(name: string): number[] {
  try {
    return execFileSync('pgrep', ['-x', name]).toString().trim().split('\n').map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** CPU seconds of these processes together; one that has exited counts nothing. */
export function cpuSecondsOf(pids: readonly number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      sum += processCpuSeconds(pid);
    } catch {
      // Gone since it was listed.
    }
  }
  return sum;
}
