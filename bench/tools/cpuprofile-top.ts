/**
 * Summarise a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package,
 * optionally only the last S seconds (skip start-up); `--callers NAME` shows which stacks reach a
 * function and how much time is spent inside it (inclusive); `--callees NAME` where the time
 * inside a function goes.
 * `npx tsx bench/tools/cpuprofile-top.ts FILE [--top 30] [--last S] [--callers NAME] [--callees NAME] [--wall]`
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

// A sample is charged the time since the one before it. When the thread was off the CPU meanwhile
// (preempted after waking another process, say), that gap is not CPU it spent: charged whole, it
// lands on whatever the thread resumed in (a socket write, often), and a function that merely
// happened to be running then shows tens of ms. So each sample is charged at most four sampling
// intervals (the profile's median gap) and the rest is reported as off-CPU; `--wall` charges it whole.
const wall = process.argv.includes('--wall');
const gaps = p.timeDeltas.filter((d) => d > 0).sort((a, b) => a - b);
const capUs = wall ? Infinity : 4 * (gaps[Math.floor(gaps.length / 2)] ?? 1000);
const selfUs = new Map<number, number>();
const cutoff = p.endTime - lastUs;
let at = p.startTime;
let totalUs = 0;
let offCpuUs = 0;
p.samples.forEach((id, i) => {
  const gap = p.timeDeltas[i] ?? 0;
  at += gap;
  if (at < cutoff) return;
  const dt = Math.min(gap, capUs);
  offCpuUs += gap - dt;
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

/** The profile node of `id` and its callers, innermost first. */
function stackOf(id: number): Node[] {
  const chain: Node[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) chain.push(byId.get(cur)!);
  return chain;
}
/** A file as the tables print it: `~/pkg/…` for dependencies, relative to the checkout for ours. */
const shortUrl = (url: string) => url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*\/main\//, '');
const add = (m: Map<string, number>, key: string, us: number) => m.set(key, (m.get(key) ?? 0) + us);
const label = (n: Node) => `${n.callFrame.functionName || '(anon)'}@${pkg(n.callFrame.url)}`;
const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms`;
function printTop(title: string, m: Map<string, number>, n = top): void {
  console.log(`\n== ${title} ==`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(us)}  ${k}`);
}
/** Samples whose stack holds a function named `name`: each one's stack, and where `name` stands in it. */
function* samplesInside(name: string): Generator<{ chain: Node[]; hit: number; us: number }> {
  for (const [id, us] of selfUs) {
    const chain = stackOf(id);
    const hit = chain.findIndex((n) => n.callFrame.functionName === name);
    if (hit >= 0) yield { chain, hit, us };
  }
}

const fn = new Map<string, number>();
const packages = new Map<string, number>();
const inclusivePkg = new Map<string, number>();
for (const [id, us] of selfUs) {
  const f = byId.get(id)!.callFrame;
  add(fn, `${f.functionName || '(anonymous)'}  ${shortUrl(f.url)}:${f.lineNumber + 1}`, us);
  add(packages, pkg(f.url), us);
  // Inclusive by package: every package on the stack gets the sample once.
  for (const pk of new Set(stackOf(id).map((n) => pkg(n.callFrame.url)))) add(inclusivePkg, pk, us);
}
console.log(`profile ${(totalUs / 1e6).toFixed(2)} s sampled${wall ? ' (wall: gaps charged whole)' : `, ${(offCpuUs / 1e6).toFixed(2)} s more off the CPU (gaps over ${(capUs / 1000).toFixed(1)} ms between samples; --wall charges them)`}`);
printTop('self time by package', packages);
printTop('inclusive time by package (on stack)', inclusivePkg);
printTop('self time by function', fn);

const callersOf = process.argv.includes('--callers') ? process.argv[process.argv.indexOf('--callers') + 1] : undefined;
if (callersOf) {
  const stacks = new Map<string, number>();
  let inside = 0;
  for (const { chain, hit, us } of samplesInside(callersOf)) {
    inside += us;
    add(stacks, chain.slice(hit, hit + (argAfter("--depth") || 6)).map(label).join(' < '), us);
  }
  printTop(`inclusive time in ${callersOf}: ${pct(inside)}`, stacks);
}

// `--callees NAME`: where the time inside NAME goes: by the function NAME called directly (its
// own code as `(self)`), and by the function that was on the CPU.
const calleesOf = process.argv.includes('--callees') ? process.argv[process.argv.indexOf('--callees') + 1] : undefined;
if (calleesOf) {
  const direct = new Map<string, number>();
  const leaves = new Map<string, number>();
  let inside = 0;
  for (const { chain, hit, us } of samplesInside(calleesOf)) {
    inside += us;
    add(direct, hit > 0 ? label(chain[hit - 1]!) : '(self)', us);
    add(leaves, label(chain[0]!), us);
  }
  printTop(`inclusive time in ${calleesOf}: ${pct(inside)}, by what it calls`, direct);
  printTop(`inclusive time in ${calleesOf}, by the function on the CPU`, leaves);
}

// `--inclusive-fn PATTERN`: inclusive time of every function whose file matches PATTERN (e.g. src/).
const inclusiveOf = process.argv.includes('--inclusive-fn') ? process.argv[process.argv.indexOf('--inclusive-fn') + 1] : undefined;
if (inclusiveOf) {
  const incl = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const keys = new Set<string>();
    for (const { callFrame: f } of stackOf(id)) {
      if (f.url.includes(inclusiveOf)) keys.add(`${f.functionName || '(anonymous)'}  ${shortUrl(f.url)}`);
    }
    for (const key of keys) add(incl, key, us);
  }
  printTop(`inclusive time by function in ${inclusiveOf}`, incl, top * 2);
}
