/**
 * What tracing costs per turn, measured with the load generator: `bench/load.ts --spawn` runs
 * alternately without and with `OTEL_EXPORTER_OTLP_ENDPOINT` pointing at a local sink collector
 * (which accepts OTLP/HTTP JSON and counts spans and bytes). The order alternates too (off-on,
 * on-off, …), so neither a slow phase of a shared machine nor going second lands on one side only.
 * Prints one JSON object on stdout.
 *
 *   npx tsx bench/tracing-overhead.ts [--rounds 3] [--players 20] [--turns 10]
 *                                     [--model-latency-ms 0 --chunk-delay-ms 0] [--db pglite|postgres]
 * @module
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { list, log, num, parseFlags, str } from './lib/args.js';
import { machine, warnIfBusy } from './lib/machine.js';

const USAGE = `Usage: npx tsx bench/tracing-overhead.ts [options]
  --rounds 4              pairs of runs (off then on, on then off, …)
  --players 20            players of each run (one level)
  --turns 10              turns per player
  --model-latency-ms 0    OFFLINE_LATENCY_MS of the spawned server
  --chunk-delay-ms 0      OFFLINE_CHUNK_DELAY_MS of the spawned server
  --db pglite             or postgres
  --duration-limit 90s    per run`;

const REPO = fileURLToPath(new URL('..', import.meta.url));
const flags = parseFlags(
  process.argv.slice(2),
  { rounds: 'value', players: 'value', turns: 'value', 'model-latency-ms': 'value', 'chunk-delay-ms': 'value', db: 'value', 'duration-limit': 'value' },
  USAGE,
);
const rounds = num(flags, 'rounds', 4);
const players = list(flags, 'players', [20])[0]!;
const turns = num(flags, 'turns', 10);
const loadArgs = [
  '--spawn',
  '--players', String(players),
  '--turns', String(turns),
  '--model-latency-ms', String(num(flags, 'model-latency-ms', 0)),
  '--chunk-delay-ms', String(num(flags, 'chunk-delay-ms', 0)),
  '--db', str(flags, 'db', 'pglite'),
  '--duration-limit', str(flags, 'duration-limit', '90s'),
];

/** A collector that keeps nothing: counts export requests, spans and bytes. */
async function startSink() {
  const counts = { requests: 0, spans: 0, bytes: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      counts.requests += 1;
      counts.bytes += body.length;
      try {
        const data = JSON.parse(body.toString('utf8')) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
        for (const rs of data.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) counts.spans += ss.spans?.length ?? 0;
      } catch {
        // not JSON: counted as bytes only
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, counts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface LoadLevel {
  turns_completed: number;
  seconds: number;
  turns_per_s: number;
  e2e_ms: { p50: number; p95: number; p99: number } | null;
  overhead_ms: { p50: number; p95: number; p99: number } | null;
  server: { cpu_percent: number } | null;
  failures: Record<string, number>;
}

function runLoad(extraEnv: string | null): Promise<LoadLevel> {
  const args = ['--import', 'tsx', 'bench/load.ts', ...loadArgs, ...(extraEnv ? ['--server-env', extraEnv] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench/load.ts exited with ${code}`));
      resolve((JSON.parse(out) as { levels: LoadLevel[] }).levels[0]!);
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const round1 = (x: number) => round(x, 1);

/** The per-run figures compared: throughput, latency, and server CPU per completed turn. */
function figures(level: LoadLevel) {
  const cpuMsPerTurn = level.server && level.turns_completed > 0 ? (level.server.cpu_percent / 100) * level.seconds * 1000 / level.turns_completed : NaN;
  return {
    turns: level.turns_completed,
    turns_per_s: level.turns_per_s,
    e2e_p50_ms: level.e2e_ms?.p50 ?? NaN,
    e2e_p95_ms: level.e2e_ms?.p95 ?? NaN,
    overhead_p50_ms: level.overhead_ms?.p50 ?? NaN,
    server_cpu_ms_per_turn: round(cpuMsPerTurn),
    failures: level.failures,
  };
}

type Figures = ReturnType<typeof figures>;

function medians(runs: Figures[]) {
  const m = (k: Exclude<keyof Figures, 'failures'>) => round(median(runs.map((r) => r[k])));
  return { turns_per_s: m('turns_per_s'), e2e_p50_ms: m('e2e_p50_ms'), e2e_p95_ms: m('e2e_p95_ms'), overhead_p50_ms: m('overhead_p50_ms'), server_cpu_ms_per_turn: m('server_cpu_ms_per_turn') };
}

async function main() {
  warnIfBusy(log);
  const sink = await startSink();
  const off: Figures[] = [];
  const on: (Figures & { spans_per_turn: number; otlp_bytes_per_turn: number })[] = [];
  try {
    const runOff = async (round: number) => {
      log(`round ${round}/${rounds}: tracing off`);
      off.push(figures(await runLoad(null)));
    };
    const runOn = async (round: number) => {
      log(`round ${round}/${rounds}: tracing on (OTLP to ${sink.url})`);
      const before = { ...sink.counts };
      const level = await runLoad(`OTEL_EXPORTER_OTLP_ENDPOINT=${sink.url}`);
      const perTurn = (n: number) => n / Math.max(1, level.turns_completed);
      on.push({ ...figures(level), spans_per_turn: round1(perTurn(sink.counts.spans - before.spans)), otlp_bytes_per_turn: Math.round(perTurn(sink.counts.bytes - before.bytes)) });
    };
    for (let i = 1; i <= rounds; i++) {
      if (i % 2 === 1) {
        await runOff(i);
        await runOn(i);
      } else {
        await runOn(i);
        await runOff(i);
      }
    }
  } finally {
    await sink.close();
  }
  const a = medians(off);
  const b = medians(on);
  const out = {
    bench: 'tracing-overhead',
    machine: { ...machine(), note: 'client, server and sink collector share these cores' },
    config: { load_args: loadArgs.join(' '), rounds },
    runs: { off, on },
    median: { off: a, on: b },
    tracing_cost: {
      server_cpu_ms_per_turn: round(b.server_cpu_ms_per_turn - a.server_cpu_ms_per_turn),
      server_cpu_percent_more: round(((b.server_cpu_ms_per_turn - a.server_cpu_ms_per_turn) / a.server_cpu_ms_per_turn) * 100, 1),
      e2e_p50_ms: round(b.e2e_p50_ms - a.e2e_p50_ms),
      turns_per_s_percent: round(((b.turns_per_s - a.turns_per_s) / a.turns_per_s) * 100, 1),
    },
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

try {
  await main();
} catch (err) {
  log(`tracing-overhead failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
}
