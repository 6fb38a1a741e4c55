/**
 * Markdown table rows from the JSON that bench/pipeline.ts and bench/load.ts print, for the
 * README: `npx tsx bench/tools/table.ts out1.json out2.json …`
 */
import { readFileSync } from 'node:fs';

type Any = any;
const f = (x: unknown) => (typeof x === 'number' ? (x >= 100 ? Math.round(x).toString() : x.toString()) : '–');

const pipelineRows: string[] = [];
const loadRows: string[] = [];

for (const file of process.argv.slice(2)) {
  const out = JSON.parse(readFileSync(file, 'utf8')) as Any;
  const c = out.config;
  const model = `${c.model_latency_ms}/${c.chunk_delay_ms}`;
  const load = out.machine?.loadavg_at_start?.[0] ?? '–';
  for (const l of out.levels as Any[]) {
    if (out.bench === 'pipeline') {
      const s = l.stages_ms;
      pipelineRows.push(
        `| ${l.db} | ${model} | ${c.worker_concurrency} | ${l.sessions} | ${l.turns} | ${f(l.turns_per_s)} | ${f(l.e2e_ms?.p50)} / ${f(l.e2e_ms?.p99)} | ${f(l.overhead_ms?.p50)} / ${f(l.overhead_ms?.p99)} | ${f(s.queueWait?.p50)} | ${f(s.load?.p50)} | ${f(s.narrate?.p50)} | ${f(s.judge?.p50)} | ${f(s.commit?.p50)} / ${f(s.commit?.p99)} | ${l.conflicts_409} | ${f(l.process?.cpu_percent)} | ${load} |`,
      );
    } else {
      const s = l.server_stages_ms;
      const db = /postgres/.test(c.target) ? 'postgres' : 'pglite';
      const post = l.post_action_ms;
      loadRows.push(
        `| ${db} | ${model} | ${c.worker_concurrency} | ${l.players} | ${l.turns_completed}/${l.turns_target} | ${f(l.turns_per_s)} | ${f(l.e2e_ms?.p50)} / ${f(l.e2e_ms?.p99)} | ${f(l.overhead_ms?.p50)} / ${f(l.overhead_ms?.p99)} | ${f(l.first_delta_ms?.p50)} / ${f(l.first_delta_ms?.p99)} | ${f(l.delta_server_to_client_ms?.p50)} / ${f(l.delta_server_to_client_ms?.p99)} | ${f(s.queueWait?.p50)} | ${f(s.narrate?.p50)} | ${f(s.commit?.p50)} / ${f(s.commit?.p99)} | ${f(post?.kept_alive_socket?.p99)} | ${f(l.probes?.healthz_new_connection_ms?.p99)} | ${f(l.server?.cpu_percent)} | ${f(l.server?.event_loop?.delay_max_ms)} | ${Object.keys(l.failures).length === 0 ? 0 : JSON.stringify(l.failures)} / ${l.conflicts_409} | ${load} |`,
      );
    }
  }
}

if (pipelineRows.length > 0) {
  console.log('| db | model ms (first/chunk) | workers | sessions | turns | turns/s | e2e p50 / p99 | overhead p50 / p99 | queueWait p50 | load p50 | narrate p50 | judge p50 | commit p50 / p99 | 409s | CPU % | load avg at start |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of pipelineRows) console.log(r);
  console.log();
}
if (loadRows.length > 0) {
  console.log('| db | model ms (first/chunk) | workers | players | turns | turns/s | e2e p50 / p99 | overhead p50 / p99 | first delta p50 / p99 | delta → client p50 / p99 | queueWait p50 | narrate p50 | commit p50 / p99 | POST p99 | new-conn /healthz p99 | server CPU % | loop delay max | failures / 409s | load avg at start |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of loadRows) console.log(r);
}
