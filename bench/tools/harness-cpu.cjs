// The harness's own CPU per turn: the load generators and the fake model run on the cores the
// server has, so bench/cluster/run.sh, bench/all-in-one/run.sh and goal-budgets.mjs report it.

/** A load generator's own CPU seconds over its run (its `cpu.loadgenCoreSharePct` is % of one core over `elapsedS`). */
const loadgenSeconds = (run) => ((run.cpu?.loadgenCoreSharePct ?? 0) / 100) * (run.elapsedS ?? 0);

/** ms a turn over `done` turns: the load generators' (`runs`, their result files) and the fake model's (`llmSeconds`, from /proc). */
function harnessMsPerTurn(runs, llmSeconds, done) {
  const perTurn = (seconds) => (seconds * 1000) / Math.max(1, done);
  return { loadgen: perTurn(runs.reduce((s, run) => s + loadgenSeconds(run), 0)), llm: perTurn(llmSeconds) };
}

module.exports = { harnessMsPerTurn };
