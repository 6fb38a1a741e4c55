// CPU seconds (user + system) used so far by the named processes' threads, summed by process
// group into the main (JavaScript) thread and the others, as JSON: {"web":{"main":1.2,"other":0.3}}.
// Two readings around a window show where a process's CPU goes outside its JavaScript thread
// (V8's compiler and GC helper threads, libuv's pool, our own worker threads).
// Usage: node thread-cpu.mjs name=pid[,pid...] ...
import fs from 'node:fs';
const HZ = 100; // USER_HZ on Linux
const out = {};
for (const arg of process.argv.slice(2)) {
  const [group, list] = arg.split('=');
  const byName = (out[group] ??= {});
  for (const pid of (list ?? '').split(',').filter(Boolean)) {
    let tasks = [];
    try { tasks = fs.readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tasks) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        // Node 20 names none of its threads, so: the JavaScript thread, and the rest (V8's
        // compiler and GC helpers, libuv's pool, worker threads).
        const name = tid === pid ? 'main' : 'other';
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        byName[name] = (byName[name] ?? 0) + (Number(rest[11]) + Number(rest[12])) / HZ;
      } catch { /* the thread ended */ }
    }
  }
}
console.log(JSON.stringify(out));
