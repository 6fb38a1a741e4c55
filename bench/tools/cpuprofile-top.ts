/**
 * Summarise a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package,
 * optionally only the last S seconds (skip start-up); `--callers NAME` shows which stacks reach a
 * function and how much time is spent inside it (inclusive); `--callees NAME` where the time
 * inside a function goes.
 * `npx tsx bench/tools/cpuprofile-top.ts FILE [--top 30] [--last S] [--callers NAME] [--callees NAME]`
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const file = process.argv[2];
if (!file) throw new Error('usage: cpuprofile-top.ts FILE [--top N]');
const argAfter = (flag: string) => (process.argv.includes(flag) ? Number(process.argv[process.argv.indexOf(flag) + 1]) : NaN);
const top = argAfter('--top') || 30;
const lastUs = (argAfter('--last') || Infinity) * 1e6;
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
const cutoff = p.endTime - lastUs;
let at = p.startTime;
let totalUs = 0;
p.samples.forEach((id, i) => {
  const dt = p.timeDeltas[i] ?? 0;
  at += dt;
  if (at < cutoff) return;
  totalUs += dt;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
});

function pkg(url: string): string {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1).split('/').slice(0, 2).join('/');
  const bench = url.indexOf('/bench/');
  if (bench >= 0) return 'bench';
  return url;
}

const fn = new Map<string, number>();
const packages = new Map<string, number>();
const inclusivePkg = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  const f = n.callFrame;
  const key = `${f.functionName || '(anonymous)'}  ${f.url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*\/main\//, '')}:${f.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  const k = pkg(f.url);
  packages.set(k, (packages.get(k) ?? 0) + us);
  // Inclusive by package: every package on the stack gets the sample once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const pk = pkg(byId.get(cur)!.callFrame.url);
    if (!seen.has(pk)) {
      seen.add(pk);
      inclusivePkg.set(pk, (inclusivePkg.get(pk) ?? 0) + us);
    }
  }
}
const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms`;
console.log(`profile ${(totalUs / 1e6).toFixed(2)} s sampled`);
console.log('\n== self time by package ==');
for (const [k, us] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
console.log('\n== inclusive time by package (on stack) ==');
for (const [k, us] of [...inclusivePkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
console.log('\n== self time by function ==');
for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);

const callersOf = process.argv.includes('--callers') ? process.argv[process.argv.indexOf('--callers') + 1] : undefined;
if (callersOf) {
  const stacks = new Map<string, number>();
  let inside = 0;
  const label = (n: Node) => `${n.callFrame.functionName || '(anon)'}@${pkg(n.callFrame.url)}`;
  for (const [id, us] of selfUs) {
    const chain: Node[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) chain.push(byId.get(cur)!);
    const hit = chain.findIndex((n) => n.callFrame.functionName === callersOf);
    if (hit < 0) continue;
    inside += us;
    const key = chain.slice(hit, hit + (argAfter("--depth") || 6)).map(label).join(' < ');
    stacks.set(key, (stacks.get(key) ?? 0) + us);
  }
  console.log(`\n== inclusive time in ${callersOf}: ${pct(inside)} ==`);
  for (const [k, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
}

// `--callees NAME`: where the time inside NAME goes: by the function NAME called directly (its
// own code as `(self)`), and by the function that was on the CPU.
const calleesOf = process.argv.includes('--callees') ? process.argv[process.argv.indexOf('--callees') + 1] : undefined;
if (calleesOf) {
  const direct = new Map<string, number>();
  const leaves = new Map<string, number>();
  let inside = 0;
  const label = (n: Node) => `${n.callFrame.functionName || '(anon)'}@${pkg(n.callFrame.url)}`;
  for (const [id, us] of selfUs) {
    const chain: Node[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) chain.push(byId.get(cur)!);
    const hit = chain.findIndex((n) => n.callFrame.functionName === calleesOf);
    if (hit < 0) continue;
    inside += us;
    const child = hit > 0 ? label(chain[hit - 1]!) : '(self)';
    direct.set(child, (direct.get(child) ?? 0) + us);
    leaves.set(label(chain[0]!), (leaves.get(label(chain[0]!)) ?? 0) + us);
  }
  console.log(`\n== inclusive time in ${calleesOf}: ${pct(inside)}, by what it calls ==`);
  for (const [k, us] of [...direct].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
  console.log(`\n== inclusive time in ${calleesOf}, by the function on the CPU ==`);
  for (const [k, us] of [...leaves].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
}

// `--inclusive-fn PATTERN`: inclusive time of every function whose file matches PATTERN (e.g. src/).
const inclusiveOf = process.argv.includes('--inclusive-fn') ? process.argv[process.argv.indexOf('--inclusive-fn') + 1] : undefined;
if (inclusiveOf) {
  const incl = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!f.url.includes(inclusiveOf)) continue;
      const key = `${f.functionName || '(anonymous)'}  ${f.url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*\/main\//, '')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + us);
    }
  }
  console.log(`\n== inclusive time by function in ${inclusiveOf} ==`);
  for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top * 2)) console.log(`${pct(us)}  ${k}`);
}
