// Two thread-cpu.mjs readings → each group's CPU ms per turn: main threads, the busiest other
// thread, and the rest. Used by bench/cluster/run.sh and bench/all-in-one/run.sh (THREADS=1).
const fs = require('fs');
module.exports = function threadSplit(beforeFile, afterFile, turns) {
  if (!fs.existsSync(afterFile)) return undefined;
  const before = JSON.parse(fs.readFileSync(beforeFile, 'utf8')), after = JSON.parse(fs.readFileSync(afterFile, 'utf8'));
  const ms = (s) => +((s * 1000) / Math.max(1, turns)).toFixed(2);
  const out = {};
  for (const [group, threads] of Object.entries(after)) {
    let main = 0; const others = [];
    for (const [tid, secs] of Object.entries(threads)) {
      const used = secs - (before[group]?.[tid] ?? 0);
      if (tid.startsWith('main:')) main += used; else others.push(used);
    }
    others.sort((a, b) => b - a);
    out[group] = { main: ms(main), busiestOther: ms(others[0] ?? 0), rest: ms(others.slice(1).reduce((a, b) => a + b, 0)) };
  }
  return out;
};
