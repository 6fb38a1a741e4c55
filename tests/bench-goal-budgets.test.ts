/**
 * bench/tools/goal-budgets.mjs on raw results written the way ../shared/bench/vs-peer.sh writes
 * them: the harness's CPU per turn and what each throughput goal leaves the server, by hand.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const TOOL = new URL('../bench/tools/goal-budgets.mjs', import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** One player count's files: two load generator halves, the CPU readings, the peer's run. */
function rawResults(players: number, opts: { turnsPerHalf: number; loadgenPct: number; elapsedS: number; llmSeconds: number; serverSeconds: number; peerTurnsPerSec: number }): string {
  const dir = mkdtempSync(join(tmpdir(), 'goal-budgets-'));
  dirs.push(dir);
  for (const half of [1, 2]) {
    const run = { host: { cpus: 2 }, players: players / 2, completed: opts.turnsPerHalf, elapsedS: opts.elapsedS, cpu: { loadgenCoreSharePct: opts.loadgenPct } };
    writeFileSync(join(dir, `md-${players}-${half}.json`), JSON.stringify(run));
  }
  const cpu = { before: { web: 0, work: 0, llm: 0 }, after: { web: opts.serverSeconds / 2, work: opts.serverSeconds / 2, llm: opts.llmSeconds } };
  writeFileSync(join(dir, `md-${players}-cpu.json`), JSON.stringify(cpu));
  writeFileSync(join(dir, `seed-celery-B-${players}p.json`), JSON.stringify({ turnsPerSec: opts.peerTurnsPerSec }));
  return dir;
}

function budgets(dir: string): string {
  const run = spawnSync(process.execPath, [TOOL, dir], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe('bench/tools/goal-budgets.mjs', () => {
  it('300 players: the harness per turn, and goal 2 and the players\' pace as budgets for the server', () => {
    // Load generators 2 × (9 % of a core × 5 s) = 0.9 s, the fake 0.9 s, the server 7.2 s, over 900 turns.
    const out = budgets(rawResults(300, { turnsPerHalf: 450, loadgenPct: 9, elapsedS: 5, llmSeconds: 0.9, serverSeconds: 7.2, peerTurnsPerSec: 60 }));
    expect(out).toContain("on this machine's 2 cores");
    expect(out).toContain('300 players: the harness 2.00 ms a turn (load generators 1.00, fake model 1.00); mock-drama 8.00');
    expect(out).toContain('goal 2 (285 turns/s): S ≤ 5.02 ms'); // 2,000 / 285 − 2
    expect(out).toContain('(306 turns/s, what an overhead near zero needs): S ≤ 4.53 ms'); // 2,000 / (300 / 0.98) − 2
    expect(out, 'goal 3 is a 1,000-player goal').not.toContain('goal 3');
  });

  it('1,000 players: goal 3 from the peer\'s turns/s in the same run; no budget at all when the harness alone fills the cores', () => {
    // Load generators 2 × (6 % × 10 s) = 1.2 s, the fake 1.8 s, over 3,000 turns: 1.0 ms a turn.
    const out = budgets(rawResults(1000, { turnsPerHalf: 1500, loadgenPct: 6, elapsedS: 10, llmSeconds: 1.8, serverSeconds: 18, peerTurnsPerSec: 100 }));
    expect(out).toContain('1000 players: the harness 1.00 ms a turn (load generators 0.40, fake model 0.60); mock-drama 6.00');
    expect(out).toContain("goal 3 (5× the peer's 100 turns/s): S ≤ 3.00 ms"); // 2,000 / 500 − 1
    expect(out).toContain('S ≤ 0.96 ms'); // 2,000 / (1,000 / 0.98) − 1
    expect(out).not.toContain('none');
    // Twice the harness's CPU: 2,000 / 1,020 − 2 < 0.
    const full = budgets(rawResults(1000, { turnsPerHalf: 1500, loadgenPct: 12, elapsedS: 10, llmSeconds: 3.6, serverSeconds: 18, peerTurnsPerSec: 100 }));
    expect(full).toContain('(none: the harness alone needs more than the cores)');
  });

  it('refuses to run without a directory', () => {
    const run = spawnSync(process.execPath, [TOOL], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage');
  });
});
