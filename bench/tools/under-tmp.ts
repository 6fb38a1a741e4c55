import { readFileSync } from 'node:fs';
const [file, fn, lastS] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file!, 'utf8'));
const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let t = p.startTime; const cutoff = p.endTime - Number(lastS ?? 1e9) * 1e6;
const child = new Map<string, number>(), leaf = new Map<string, number>();
let total = 0;
p.samples.forEach((id: number, i: number) => {
  t += p.timeDeltas[i]; if (t < cutoff) return;
  const stack: any[] = []; let cur: number | undefined = id;
  while (cur !== undefined) { stack.push(byId.get(cur)); cur = parent.get(cur); }
  const k = stack.findIndex((n) => n.callFrame.functionName === fn);
  if (k < 0) return;
  const dt = p.timeDeltas[i] / 1000; total += dt;
  const c = k > 0 ? stack[k - 1].callFrame : { functionName: '(self)', url: '', lineNumber: 0 };
  const ck = `${c.functionName} ${c.url.split('/').slice(-2).join('/')}:${c.lineNumber}`;
  child.set(ck, (child.get(ck) ?? 0) + dt);
  const l = stack[0].callFrame; const lk = `${l.functionName} ${l.url.split('/').slice(-2).join('/')}`;
  leaf.set(lk, (leaf.get(lk) ?? 0) + dt);
});
console.log('total', total.toFixed(0), 'ms');
console.log('-- direct children');
[...child].sort((a, b) => b[1] - a[1]).slice(0, 15).forEach(([k, v]) => console.log(v.toFixed(0).padStart(6), k));
console.log('-- leaves');
[...leaf].sort((a, b) => b[1] - a[1]).slice(0, 15).forEach(([k, v]) => console.log(v.toFixed(0).padStart(6), k));
