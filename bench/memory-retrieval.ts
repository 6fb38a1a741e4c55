/**
 * Memory retrieval benchmark: one session holding N memories (256-d, clustered like real
 * embeddings of one story), recall = candidates (top 50 by cosine + pinned) → Generative Agents
 * re-rank → top 5. Measured on PGlite with pgvector (HNSW) and on the portable path (exact in the
 * application, as on a server without pgvector); recall@5 compares the HNSW result with exact.
 * Prints one JSON object on stdout; progress on stderr.
 *
 *   npx tsx bench/memory-retrieval.ts [--sizes 1000,10000,100000] [--queries 100] [--budget-s 240]
 * @module
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { scoreMemories, selectMemories } from '../src/memory/score-memories.js';
import { DEFAULT_MEMORY_SETTINGS } from '../src/memory/memory-settings.js';
import type { MemoryStore } from '../src/domain/ports/store.js';
import { createStore } from '../src/storage/create-store.js';
import { openDatabase } from '../src/storage/db.js';
import { createMemoryRepo } from '../src/storage/repos/memory-repo.js';
import { queryRows } from '../src/storage/repos/query.js';
import { makeSession, makeStory } from '../src/storage/__fixtures__/store-fixtures.js';
import { list, log, num, parseFlags } from './lib/args.js';
import { machine } from './lib/machine.js';
import { summarize } from './lib/stats.js';

const USAGE = 'npx tsx bench/memory-retrieval.ts [--sizes 1000,10000,100000] [--queries 100] [--budget-s 240]';
const flags = parseFlags(process.argv.slice(2), { sizes: 'value', queries: 'value', 'budget-s': 'value'}, USAGE);
const SIZES = list(flags, 'sizes', [1000, 10_000, 100_000]);
const QUERIES = num(flags, 'queries', 100);
const BUDGET_MS = num(flags, 'budget-s', 240) * 1000;
const DIM = 256;
const K = 5;
/** Per size and path, at most this long measuring queries. */
const MEASURE_MS = 60_000;

let seed = 7;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const unit = (v: number[]) => {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / n);
};
const centers = Array.from({ length: 64 }, () => unit(Array.from({ length: DIM }, () => rand() * 2 - 1)));
/** A vector near one of 64 topics: memories of one story cluster around its people and places. */
const vector = () => {
  const c = centers[Math.floor(rand() * centers.length)]!;
  return unit(c.map((x) => x + (rand() * 2 - 1) * 0.12));
};

async function recall(repo: MemoryStore, sessionId: string, q: number[], turnNo: number) {
  const candidates = await repo.candidates(sessionId, q, { limit: DEFAULT_MEMORY_SETTINGS.candidates });
  return selectMemories(scoreMemories(candidates, { turnNo, weights: DEFAULT_MEMORY_SETTINGS.weights, decay: DEFAULT_MEMORY_SETTINGS.decay }), K, 10).map((m) => m.id);
}

async function measure(label: string, repo: MemoryStore, sessionId: string, queries: number[][], turnNo: number) {
  const times: number[] = [];
  const results: string[][] = [];
  const deadline = performance.now() + MEASURE_MS;
  for (const q of queries) {
    // A slow path at a large size measures fewer queries rather than running for many minutes.
    if (results.length >= 5 && performance.now() > deadline) break;
    const t0 = performance.now();
    results.push(await recall(repo, sessionId, q, turnNo));
    times.push(performance.now() - t0);
  }
  log(`${label}: p50 ${summarize(times)!.p50} ms`);
  return { latencyMs: summarize(times), results };
}

const recallAt = (got: string[][], want: string[][]) => {
  const n = Math.min(got.length, want.length);
  let hit = 0;
  for (let i = 0; i < n; i++) hit += got[i]!.filter((id) => want[i]!.includes(id)).length;
  return Math.round((hit / (n * K)) * 1000) / 1000;
};

async function run() {
  const started = performance.now();
  const rows: unknown[] = [];
  const opened = await openDatabase({ dataDir: ':memory:', poolSize: 1 });
  const store = createStore(opened);
  const portable = createMemoryRepo(opened.db, null);
  try {
    for (const n of SIZES) {
      if (performance.now() - started > BUDGET_MS) {
        rows.push({ memories: n, skipped: `time budget (${BUDGET_MS / 1000} s) spent before this size` });
        continue;
      }
      const story = await store.stories.saveStory(makeStory());
      const session = await store.sessions.createSession(makeSession(story.id, story.currentVersion));
      const t0 = performance.now();
      for (let i = 0; i < n; i += 1000) {
        const batch = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ id: randomUUID(), turn_no: Math.floor(((i + j) / n) * 1000), importance: 1 + Math.floor(rand() * 10), embedding: vector() }));
        await opened.db.execute(sql`
          INSERT INTO memories (id, session_id, turn_no, kind, text, importance, embedding, pinned)
          SELECT r.id, ${session.id}::text, r.turn_no, 'event', 'memory ' || r.id, r.importance, r.embedding, false
            FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS r(id text, turn_no int, importance int, embedding real[])`);
        if (performance.now() - started > BUDGET_MS) break;
      }
      const [row] = await queryRows<{ count: number }>(opened.db, sql`SELECT count(*)::int AS count FROM memories WHERE session_id = ${session.id}`);
      const inserted = Number(row?.count ?? 0);
      const insertMs = Math.round(performance.now() - t0);
      log(`${n}: inserted ${inserted} in ${insertMs} ms`);
      const queries = Array.from({ length: QUERIES }, vector);
      const hnsw = await measure(`${n} pgvector`, store.memories, session.id, queries, 1000);
      const exact = await measure(`${n} portable`, portable, session.id, queries, 1000);
      rows.push({
        memories: inserted,
        requested: n,
        insertMs,
        pgliteHnsw: { latencyMs: hnsw.latencyMs },
        portableExact: { latencyMs: exact.latencyMs },
        recallAt5VsExact: recallAt(hnsw.results, exact.results),
      });
    }
  } finally {
    await store.close();
  }
  return rows;
}

const results = await run();
process.stdout.write(`${JSON.stringify({ bench: 'memory-retrieval', machine: machine(), queries: QUERIES, k: K, candidates: DEFAULT_MEMORY_SETTINGS.candidates, results }, null, 2)}\n`);
