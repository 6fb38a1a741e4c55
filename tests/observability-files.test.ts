/**
 * deploy/observability/ against the code: the Grafana dashboard and the Prometheus rules parse,
 * and every metric, label and fixed label value they name is one a running process exports
 * (its registry is built here by a real runtime). The autoscaling chain — recording rule →
 * prometheus-adapter → the HPA's External metric — holds together. Renaming a metric or a label
 * value fails this file. With promtool installed the files also pass `promtool check`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { loadEnv } from '../src/config/env.js';
import { LABEL_VALUES } from '../src/observability/metrics.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import { silentLogger } from '../src/shared/logger.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIR = 'deploy/observability';
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

const RULES = parseYaml(read(`${DIR}/prometheus-rules.yml`)) as Doc;
const PROMETHEUS = parseYaml(read(`${DIR}/prometheus.yml`)) as Doc;
const DASHBOARD = JSON.parse(read(`${DIR}/grafana-dashboard.json`)) as Doc;
const ADAPTER = parseYaml(read(`${DIR}/prometheus-adapter-values.yaml`)) as Doc;
const KEDA = parseYaml(read(`${DIR}/keda-scaledobject.yaml`)) as Doc;
const HPA = parseAllDocuments(read('deploy/k8s/worker-hpa.yaml')).map((d) => d.toJS() as Doc)[0]!;
const README = read(`${DIR}/README.md`);

const rules: Doc[] = (RULES.groups as Doc[]).flatMap((g) => g.rules as Doc[]);
const recorded = new Set(rules.filter((r) => r.record).map((r) => r.record as string));
const alerts = rules.filter((r) => r.alert);
const panels: Doc[] = (DASHBOARD.panels as Doc[]).flatMap((p) => [p, ...((p.panels as Doc[] | undefined) ?? [])]);
const dashboardExprs: string[] = panels.flatMap((p) => ((p.targets as Doc[] | undefined) ?? []).map((t) => t.expr as string));

/** Labels Prometheus itself (or the scrape config) attaches to every series. */
const TARGET_LABELS = new Set(['job', 'instance', 'namespace', 'pod']);
/** Metrics Prometheus makes up per target. */
const SYNTHETIC = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

// ---------------------------------------------------------------------------------------------
// A PromQL reader: enough to find the metric names, label matchers and grouping labels.

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
/** Aggregation operators: `sum by (x) (…)` puts a clause between the name and its parenthesis. */
const AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile']);

interface Selector {
  metric: string;
  matchers: { label: string; op: string; value: string }[];
}

interface PromqlRefs {
  metrics: Set<string>;
  selectors: Selector[];
  /** Labels named in by/without/on/ignoring/group_left/group_right clauses. */
  grouping: Set<string>;
}

function readPromql(expr: string): PromqlRefs {
  const text = expr.replace(/\$__\w+/g, '5m');
  const selectors: Selector[] = [];
  const grouping = new Set<string>();
  // Selectors with matchers: name{a="x", b=~"y|z"}
  let stripped = text.replace(/([a-zA-Z_:][\w:]*)?\s*\{([^}]*)\}/g, (_, metric: string | undefined, body: string) => {
    const matchers = [...body.matchAll(/([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => ({ label: m[1]!, op: m[2]!, value: m[3]! }));
    selectors.push({ metric: metric ?? '', matchers });
    return ` ${metric ?? ''} `;
  });
  // Grouping clauses: by (a, b) / on (a) / group_left (a) …
  stripped = stripped.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, kw: string, body: string) => {
    for (const label of body.split(',').map((s) => s.trim()).filter(Boolean)) grouping.add(label);
    return ` ${kw} `;
  });
  stripped = stripped.replace(/"(?:[^"\\]|\\.)*"/g, ' ').replace(/\[[^\]]*\]/g, ' ');
  const metrics = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w:$.])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    const [, name, call] = m;
    if (call || KEYWORDS.has(name!.toLowerCase()) || AGGREGATIONS.has(name!)) continue;
    metrics.add(name!);
  }
  for (const s of selectors) if (s.metric) metrics.add(s.metric);
  return { metrics, selectors, grouping };
}

// ---------------------------------------------------------------------------------------------

let runtime: Runtime;
/** Exported metric families: name → type and label names. */
const exported = new Map<string, { type: string; labels: Set<string> }>();

beforeAll(async () => {
  runtime = await createRuntime(loadEnv({ DATA_DIR: ':memory:', STORIES_DIR: 'tests/fixtures', LOG_LEVEL: 'silent' }), { logger: silentLogger(), installStories: false });
  for (const metric of runtime.metrics.registry.getMetricsAsArray()) {
    const m = metric as unknown as { name: string; labelNames?: string[]; get(): Promise<{ type: unknown }> };
    const type = String((await m.get()).type);
    exported.set(m.name, { type, labels: new Set(m.labelNames ?? []) });
  }
}, 60_000);
afterAll(async () => {
  await runtime?.close();
});

/** The family a sample name belongs to (`x_bucket` → histogram `x`), or undefined. */
function family(name: string): { name: string; type: string; labels: Set<string> } | undefined {
  const direct = exported.get(name);
  if (direct) return { name, ...direct };
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  const base = m ? exported.get(m[1]!) : undefined;
  if (base && (base.type === 'histogram' || base.type === 'summary')) {
    const labels = new Set(base.labels);
    if (m![2] === 'bucket') labels.add('le');
    if (base.type === 'summary') labels.add('quantile');
    return { name: m![1]!, ...base, labels };
  }
  return undefined;
}

function expectKnownRefs(expr: string, where: string): PromqlRefs {
  const refs = readPromql(expr);
  // A constant (the budget rule) is the only expression allowed to name no metric.
  if (!/^vector\(\s*[\d.]+\s*\)$/.test(expr.trim())) expect(refs.metrics.size, `${where}: no metric in ${expr}`).toBeGreaterThan(0);
  const labelsInScope = new Set<string>(TARGET_LABELS);
  let onlyExported = true;
  for (const name of refs.metrics) {
    if (name.includes(':')) {
      expect(recorded.has(name), `${where}: ${name} is not a recording rule of prometheus-rules.yml`).toBe(true);
      onlyExported = false;
      continue;
    }
    if (SYNTHETIC.has(name)) continue;
    const f = family(name);
    expect(f, `${where}: ${name} is not exported by the code`).toBeDefined();
    for (const l of f!.labels) labelsInScope.add(l);
  }
  for (const s of refs.selectors) {
    const f = s.metric ? family(s.metric) : undefined;
    for (const { label, op, value } of s.matchers) {
      if (f) expect([...f.labels, ...TARGET_LABELS], `${where}: ${s.metric} has no label ${label}`).toContain(label);
      const allowed = LABEL_VALUES[label];
      if (!allowed || !f) continue;
      const values = op.endsWith('~') ? value.split('|') : [value];
      for (const v of values.filter((x) => /^[\w-]+$/.test(x))) expect(allowed, `${where}: ${s.metric}{${label}${op}"${v}"}`).toContain(v);
    }
  }
  if (onlyExported) for (const label of refs.grouping) expect([...labelsInScope], `${where}: grouping by ${label}`).toContain(label);
  return refs;
}

describe('the metrics a process exports', () => {
  it('follow Prometheus conventions: prefix, units, _total counters, bounded label names', () => {
    const ours = [...exported].filter(([name]) => name.startsWith('mock_drama_'));
    expect(ours.length).toBeGreaterThanOrEqual(20);
    for (const [name, { type, labels }] of ours) {
      expect(name).toMatch(/^mock_drama_[a-z0-9_]+$/);
      if (type === 'counter') expect(name, 'counters end in _total').toMatch(/_total$/);
      else expect(name, `${type}s do not end in _total`).not.toMatch(/_total$/);
      if (type === 'histogram') expect(name, 'histograms carry their unit').toMatch(/_seconds$/);
      for (const label of labels) {
        expect(label, `${name}: ids are never labels`).not.toMatch(/(^|_)(id|session|user|task|story|owner)s?$/);
        expect(['provider', 'model', ...Object.keys(LABEL_VALUES)], `${name}: label ${label} has no fixed set of values`).toContain(label);
      }
    }
    // Node's defaults are there too.
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) expect(exported.has(name), name).toBe(true);
  });

  it('the README lists every metric family', () => {
    for (const name of exported.keys()) if (name.startsWith('mock_drama_')) expect(README, `${DIR}/README.md documents ${name}`).toContain(`\`${name}\``);
  });
});

describe('deploy/observability/prometheus-rules.yml', () => {
  it('parses into named groups of recording rules and alerts', () => {
    expect(RULES.groups.length).toBeGreaterThan(0);
    for (const g of RULES.groups as Doc[]) {
      expect(g.name).toMatch(/^mock-drama\./);
      for (const r of g.rules as Doc[]) {
        expect(typeof r.expr === 'string' || typeof r.expr === 'number', JSON.stringify(r)).toBe(true);
        expect(Boolean(r.record) !== Boolean(r.alert), 'a rule records or alerts').toBe(true);
      }
    }
    for (const name of recorded) expect(name, 'recording rules are named level:metric:operations').toMatch(/^[a-z_]+:[a-z0-9_]+(:[a-z0-9_]+)?$/);
    expect(new Set(alerts.map((a) => a.alert)).size).toBe(alerts.length);
  });

  it('has the alerts the operations issue asks for', () => {
    const names = alerts.map((a) => a.alert as string);
    for (const name of ['MockDramaTurnLatencyHigh', 'MockDramaQueueWaitHigh', 'MockDramaQueueBacklogGrowing', 'MockDramaModelErrorRate', 'MockDramaJudgeFallbackRate', 'MockDramaModelBudgetNearlySpent']) {
      expect(names).toContain(name);
    }
    for (const a of alerts) {
      expect(['info', 'warning', 'critical'], a.alert).toContain(a.labels?.severity);
      expect(a.annotations?.summary, a.alert).toBeTruthy();
      if (a.for !== undefined) expect(a.for).toMatch(/^\d+[smh]$/);
    }
  });

  it('refers only to metrics, labels and label values the code exports', () => {
    for (const r of rules) expectKnownRefs(String(r.expr), r.record ?? r.alert);
    // The `up` alert matches the scrape jobs of prometheus.yml.
    const jobs = (PROMETHEUS.scrape_configs as Doc[]).map((j) => j.job_name as string);
    for (const job of jobs) expect(job).toMatch(/^mock-drama/);
  });
});

describe('deploy/observability/grafana-dashboard.json', () => {
  it('is a dashboard with a Prometheus datasource variable and unique panel ids', () => {
    expect(DASHBOARD.uid).toBe('mock-drama');
    expect(DASHBOARD.templating.list.find((v: Doc) => v.type === 'datasource')?.query).toBe('prometheus');
    const ids = panels.map((p) => p.id as number);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels.filter((x) => x.type !== 'row')) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    }
  });

  it('covers turns, queue, models, cost and connections', () => {
    const rows = panels.filter((p) => p.type === 'row').map((p) => String(p.title).toLowerCase());
    for (const word of ['turns', 'queue', 'models', 'cost', 'connections']) expect(rows.join(' ')).toContain(word);
    // Every metric family the code exports has a panel.
    const used = new Set(dashboardExprs.flatMap((e) => [...readPromql(e).metrics].map((n) => family(n)?.name ?? n)));
    for (const name of exported.keys()) if (name.startsWith('mock_drama_')) expect(used.has(name), `no panel shows ${name}`).toBe(true);
  });

  it('refers only to metrics, labels and label values the code exports', () => {
    for (const p of panels) for (const t of (p.targets as Doc[] | undefined) ?? []) expectKnownRefs(t.expr as string, `panel "${p.title}"`);
  });
});

describe('deploy/observability/prometheus.yml', () => {
  it('scrapes /metrics on the web PORT and the workers WORKER_HEALTH_PORT, and loads the rules', () => {
    const defaults = loadEnv({});
    expect(PROMETHEUS.rule_files).toEqual(['prometheus-rules.yml']);
    const jobs = Object.fromEntries((PROMETHEUS.scrape_configs as Doc[]).map((j) => [j.job_name, j]));
    expect(jobs['mock-drama-web'].metrics_path).toBe('/metrics');
    for (const t of jobs['mock-drama-web'].static_configs[0].targets as string[]) expect(Number(t.split(':')[1])).toBe(defaults.PORT);
    expect(jobs['mock-drama-worker'].metrics_path).toBe('/metrics');
    expect(jobs['mock-drama-worker'].dns_sd_configs[0].port).toBe(defaults.WORKER_HEALTH_PORT);
    // The web targets are the servers deploy/nginx.conf balances over.
    const upstreams = [...read('deploy/nginx.conf').matchAll(/^\s*server (\S+:\d+)/gm)].map((m) => m[1]);
    expect(jobs['mock-drama-web'].static_configs[0].targets).toEqual(upstreams);
  });
});

describe('the worker autoscaling signal', () => {
  it('HPA External metric ← prometheus-adapter ← recording rule over exported metrics', () => {
    const external = (HPA.spec.metrics as Doc[]).find((m) => m.type === 'External')!.external;
    const rule = ADAPTER.rules.external[0];
    expect(rule.name.as).toBe(external.metric.name);
    const source = /^\^?(.*?)\$?$/.exec(rule.name.matches)![1]!;
    expect(recorded.has(source), `${source} is recorded in prometheus-rules.yml`).toBe(true);
    expect(rule.seriesQuery).toContain(source);
    // The per-worker rule divides the queue by the workers.
    const expr = rules.find((r) => r.record === source)!.expr as string;
    const refs = expectKnownRefs(expr, source);
    expect([...refs.metrics].sort()).toEqual(['mock_drama_queue_depth', 'mock_drama_worker_concurrency']);
  });

  it('the KEDA alternative queries exported metrics with the same target', () => {
    const trigger = (KEDA.spec.triggers as Doc[]).find((t) => t.type === 'prometheus')!;
    expectKnownRefs(trigger.metadata.query as string, 'keda-scaledobject.yaml');
    const external = (HPA.spec.metrics as Doc[]).find((m) => m.type === 'External')!.external;
    expect(trigger.metadata.threshold).toBe(external.target.value);
    expect(KEDA.spec.minReplicaCount).toBe(HPA.spec.minReplicas);
    expect(KEDA.spec.maxReplicaCount).toBe(HPA.spec.maxReplicas);
  });
});

describe('the PromQL reader', () => {
  it('finds metrics, matchers and grouping labels', () => {
    const refs = readPromql('histogram_quantile(0.95, sum by (le, stage) (rate(mock_drama_x_bucket{stage!="total",outcome=~"a|b"}[$__rate_interval]))) / on (job) group_left up');
    expect([...refs.metrics].sort()).toEqual(['mock_drama_x_bucket', 'up']);
    expect(refs.selectors[0]!.matchers).toEqual([
      { label: 'stage', op: '!=', value: 'total' },
      { label: 'outcome', op: '=~', value: 'a|b' },
    ]);
    expect([...refs.grouping].sort()).toEqual(['job', 'le', 'stage']);
    expect([...readPromql('vector(50)').metrics]).toEqual([]);
    expect([...readPromql('deriv(max(mock_drama_queue_depth{state="waiting"})[10m:1m]) > 0').metrics]).toEqual(['mock_drama_queue_depth']);
  });
});

describe.skipIf(spawnSync('promtool', ['--version']).error !== undefined)('promtool', () => {
  it('checks the rules and the config', () => {
    for (const args of [['check', 'rules', `${DIR}/prometheus-rules.yml`], ['check', 'config', `${DIR}/prometheus.yml`]]) {
      const r = spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
    }
  });

  it('passes the rules\' unit tests (prometheus-rules.test.yml)', () => {
    const r = spawnSync('promtool', ['test', 'rules', `${DIR}/prometheus-rules.test.yml`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('parses every dashboard query', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-promql-'));
    try {
      const group = { groups: [{ name: 'dashboard', rules: dashboardExprs.map((expr, i) => ({ record: `dashboard:query_${i}:check`, expr: expr.replace(/\$__rate_interval/g, '5m') })) }] };
      writeFileSync(join(dir, 'dashboard-rules.yml'), JSON.stringify(group));
      const r = spawnSync('promtool', ['check', 'rules', join(dir, 'dashboard-rules.yml')], { encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
