#!/usr/bin/env node
/**
 * What issue 16's throughput goals leave the server, from one side-by-side run's raw results
 * (`../shared/bench/vs-peer.sh`, the directory it prints as "raw results: DIR").
 *
 * The harness runs on the server's cores: the load generators and the fake model cost CPU per turn
 * too (H). With C cores, T turns a second and S ms of the server's CPU a turn, T ≤ C × 1000 / (S + H),
 * so a goal of T turns a second leaves the server S ≤ C × 1000 / T − H with every core busy:
 * - goal 2: 285 turns/s at 300 players;
 * - goal 3: 5× the peer's turns/s in the same run, at 1,000 players;
 * - goal 3's overhead p99 < 200 ms: the players' own pace, one turn per player per 0.98 s of model
 *   time (a turn waiting for CPU adds overhead), so T = players / 0.98.
 * `npm run bench:peer` prints this after its table. Usage: node bench/tools/goal-budgets.mjs DIR
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import harnessCpu from './harness-cpu.cjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node bench/tools/goal-budgets.mjs DIR (the raw results directory vs-peer.sh prints)');
  process.exit(2);
}
const read = (file) => {
  try {
    return JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch {
    return null;
  }
};
const MODEL_SECONDS_PER_TURN = 0.98;
const GOAL2_TURNS_PER_SECOND = 285;
const GOAL3_RATIO = 5;
const ms = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');

// The load generators' result files, `md-<players>-<k>.json`, by player count.
const halvesByPlayers = new Map();
for (const file of readdirSync(dir)) {
  const players = /^md-(\d+)-\d+\.json$/.exec(file)?.[1];
  if (players) halvesByPlayers.set(Number(players), [...(halvesByPlayers.get(Number(players)) ?? []), file]);
}
const counts = [...halvesByPlayers.keys()].sort((a, b) => a - b);
for (const players of counts) {
  const halves = halvesByPlayers.get(players).map(read).filter(Boolean);
  const cores = halves[0]?.host?.cpus ?? cpus().length;
  if (players === counts[0]) console.log(`What the goals leave the server (S, ms of CPU a turn) on this machine's ${cores} cores (bench/tools/goal-budgets.mjs):`);
  const done = halves.reduce((n, h) => n + (h.completed ?? 0), 0);
  const cpu = read(`md-${players}-cpu.json`);
  const { loadgen, llm: fake } = harnessCpu.harnessMsPerTurn(halves, cpu ? cpu.after.llm - cpu.before.llm : NaN, done);
  const harness = loadgen + (Number.isFinite(fake) ? fake : 0);
  const server = cpu ? Object.keys(cpu.after).filter((k) => k !== 'llm').reduce((s, k) => s + ((cpu.after[k] - cpu.before[k]) * 1000) / Math.max(1, done), 0) : NaN;
  const peer = read(`seed-celery-B-${players}p.json`);
  const budget = (turnsPerSecond) => (cores * 1000) / turnsPerSecond - harness;
  const lines = [`  ${players} players: the harness ${ms(harness)} ms a turn (load generators ${ms(loadgen)}, fake model ${ms(fake)}); mock-drama ${ms(server)}`];
  if (players === 300) lines.push(`    goal 2 (${GOAL2_TURNS_PER_SECOND} turns/s): S ≤ ${ms(budget(GOAL2_TURNS_PER_SECOND))} ms with every core busy`);
  if (players === 1000 && peer?.turnsPerSec) lines.push(`    goal 3 (${GOAL3_RATIO}× the peer's ${peer.turnsPerSec} turns/s): S ≤ ${ms(budget(GOAL3_RATIO * peer.turnsPerSec))} ms with every core busy`);
  const pace = players / MODEL_SECONDS_PER_TURN;
  const atPace = budget(pace);
  lines.push(`    every player at the model's pace (${pace.toFixed(0)} turns/s, what an overhead near zero needs): S ≤ ${ms(atPace)} ms${atPace <= 0 ? ' (none: the harness alone needs more than the cores)' : ''}`);
  console.log(lines.join('\n'));
}
