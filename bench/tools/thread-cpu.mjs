// CPU seconds (user + system) used so far by every thread of the named processes, as JSON:
// {"web":{"123":1.2,"124":0.3,…},…}, keyed by thread id; the thread whose id is its process's is
// the JavaScript (main) thread. Node 20 names none of its threads, so two readings around a window
// (see threadSplit) tell the main threads from the busiest other (PGlite's, in all-in-one mode) and
// the rest (V8's compiler and GC helpers, libuv's pool, worker threads).
// Usage: node thread-cpu.mjs name=pid[,pid...] ...
import fs from 'node:fs';
const HZ = 100; // USER_HZ on Linux
const out = {};
for (const arg of process.argv.slice(2)) {
  const [group, list] = arg.split('=');
  const threads = (out[group] ??= {});
  for (const pid of (list ?? '').split(',').filter(Boolean)) {
    let tasks = [];
    try { tasks = fs.readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tasks) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        threads[tid === pid ? `main:${tid}` : tid] = (Number(rest[11]) + Number(rest[12])) / HZ;
      } catch { /* the thread ended */ }
    }
  }
}
console.log(JSON.stringify(out));
