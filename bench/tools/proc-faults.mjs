// Page faults and context switches so far of each named process tree (children included, as
// proc-cpu.mjs counts CPU), as JSON: {"web":{"minflt":…,"majflt":…,"vcsw":…,"ivcsw":…},…}.
// Two readings around a window give them per turn (FAULTS=1 bash bench/cluster/run.sh). On a
// machine where a page fault or a switch traps to the hypervisor (PVM guests: see bench/README.md,
// "What kind of machine"), these cost more than their count suggests.
// Usage: node proc-faults.mjs name=pid[,pid...] ...
import fs from 'node:fs';
const procs = new Map();
for (const p of fs.readdirSync('/proc')) {
  if (!/^\d+$/.test(p)) continue;
  try {
    const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    procs.set(Number(p), { ppid: Number(rest[1]), minflt: Number(rest[7]), majflt: Number(rest[9]), vcsw: field('voluntary_ctxt_switches'), ivcsw: field('nonvoluntary_ctxt_switches') });
  } catch { /* gone meanwhile */ }
}
const out = {};
for (const arg of process.argv.slice(2)) {
  const [name, list] = arg.split('=');
  const total = { minflt: 0, majflt: 0, vcsw: 0, ivcsw: 0 };
  const seen = new Set();
  const todo = (list ?? '').split(',').filter(Boolean).map(Number);
  while (todo.length) {
    const pid = todo.pop();
    if (seen.has(pid) || !procs.has(pid)) continue;
    seen.add(pid);
    const p = procs.get(pid);
    for (const k of Object.keys(total)) total[k] += p[k];
    for (const [child, c] of procs) if (c.ppid === pid) todo.push(child);
  }
  out[name] = total;
}
console.log(JSON.stringify(out));
