/**
 * The deploy files (Dockerfile, docker-compose.yml, deploy/…) cannot run here: no Docker engine,
 * no Fly, Railway or cluster. So they are parsed and checked against the code they deploy: every
 * environment variable is a key of `envSchema`, every command a role command of the CLI, ports and
 * probe paths are the ones the processes serve, grace periods outlast SHUTDOWN_GRACE_MS, and the
 * replica counts are the ones deploy/README.md promises. Renaming an env var, a command, a port or
 * a health route fails this file. nginx is real: `nginx -t` runs on deploy/nginx.conf.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseTomlText } from 'smol-toml';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { DEFAULT_V8_FLAGS } from '../bin/v8-flags.js';
import { envSchema, loadEnv, type Env } from '../src/config/env.js';
import type { AppEnv, HttpDeps } from '../src/http/app-context.js';
import { registerHealthRoutes } from '../src/http/routes/health.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const exists = (path: string): boolean => existsSync(join(ROOT, path));

// Parsed YAML/TOML is untyped data; the assertions are the type checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// What the code defines

/** Every environment variable mock-drama reads. */
const ENV_NAMES = new Set(Object.keys(envSchema.shape));
/** Set in deploy files but read by dependencies, not by mock-drama. */
const THIRD_PARTY_ENV = new Set(['NODE_ENV']);
/** docker-compose.yml's own variables (interpolation only; documented in deploy/README.md). */
const COMPOSE_ONLY_VARS = new Set(['POSTGRES_PASSWORD', 'HTTP_PORT', 'MOCK_DRAMA_TAG']);
/** What `serve` and `work` need to run at all, plus the secret every web server must share. */
const DISTRIBUTED_REQUIRED = ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET'];
const DEFAULTS = loadEnv({});
const PKG = JSON.parse(read('package.json')) as { bin: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string>; engines: { node: string } };
const BIN = normalize(PKG.bin['mock-drama'] ?? 'missing');
/** node's arguments before BIN wherever a deploy file starts the CLI: the V8 flags, on the command line. */
const V8_ARGS = DEFAULT_V8_FLAGS.split(' ');

/** The CLI's switch: which `run…` function a command reaches, or undefined when there is no such case. */
const MAIN = read('src/cli/main.ts');
function dispatch(command: string): string | undefined {
  const at = MAIN.indexOf(`case '${command}':`);
  return at < 0 ? undefined : /return (run\w+)\(/.exec(MAIN.slice(at))?.[1];
}
/** The role commands the deploy files may use, and the function each must reach. */
const ROLES = { all: 'runServer', serve: 'runServer', work: 'runWorker' } as const;
type Role = keyof typeof ROLES;
const WEB: Role = 'serve';
const WORKER: Role = 'work';
const ALL: Role = 'all';

function expectRole(command: unknown, role: Role, where: string): void {
  expect(command, where).toBe(role);
  expect(dispatch(String(command)), `${where}: "${String(command)}" is not a command of src/cli/main.ts`).toBe(ROLES[role]);
}

function expectKnownEnv(names: Iterable<string>, where: string, extra: Set<string> = new Set()): void {
  const unknown = [...names].filter((n) => !ENV_NAMES.has(n) && !THIRD_PARTY_ENV.has(n) && !extra.has(n));
  expect(unknown, `${where} sets variables that src/config/env.ts does not read`).toEqual([]);
}

/** loadEnv() on a file's environment (unknown keys stripped: the schema ignores them too). */
function effectiveEnv(vars: Record<string, unknown>, where: string): Env {
  const strings = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)]));
  try {
    return loadEnv(strings);
  } catch (err) {
    throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function expectReachable(env: Env, where: string): void {
  expect(['0.0.0.0', '::'], `${where}: HOST=${env.HOST} is unreachable from outside the container`).toContain(env.HOST);
}

const graceSeconds = (env: Env): number => env.SHUTDOWN_GRACE_MS / 1000;

/** "30s", "1m", "1h30m", "500ms" (compose, fly) → seconds. */
function seconds(duration: string | number): number {
  if (typeof duration === 'number') return duration;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let matched = '';
  for (const m of duration.matchAll(re)) {
    matched += m[0];
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  if (matched !== duration) throw new Error(`not a duration: ${duration}`);
  return total;
}

/** The web health routes, called for real: the paths that answer 200 when ready, 503 when draining. */
const WEB_HEALTH_PATHS: string[] = [];
/** The worker health server's paths (src/runtime/start-worker.ts). */
const WORKER_HEALTH_PATHS = [...read('src/runtime/start-worker.ts').matchAll(/req\.url === '([^']+)'/g)].map((m) => m[1]!);
const LIVENESS = '/healthz';
const READINESS = '/readyz';

/** Status of each probe path while draining (readiness must fail, liveness must not). */
const WEB_DRAINING_STATUS: Record<string, number> = {};

beforeAll(async () => {
  let draining = false;
  const app = new OpenAPIHono<AppEnv>();
  registerHealthRoutes(app, { isDraining: () => draining, checkReady: async () => undefined } as unknown as HttpDeps);
  for (const path of [LIVENESS, READINESS]) {
    if ((await app.request(path)).status === 200) WEB_HEALTH_PATHS.push(path);
  }
  draining = true;
  for (const path of [LIVENESS, READINESS]) WEB_DRAINING_STATUS[path] = (await app.request(path)).status;
});

// ---------------------------------------------------------------------------------------------
// TOML through smol-toml (a maintained TOML 1.0 parser); the test below also holds it to Python's tomllib.

type TomlTable = Record<string, unknown>;
const parseToml = (text: string): TomlTable => parseTomlText(text) as TomlTable;

const PYTHON_TOMLLIB = spawnSync('python3', ['-c', 'import tomllib'], { stdio: 'ignore' }).status === 0;

// ---------------------------------------------------------------------------------------------
// Files

const DOCKERFILE = read('Dockerfile');
const DOCKERIGNORE = read('.dockerignore');
const COMPOSE_TEXT = read('docker-compose.yml');
const COMPOSE = parseYaml(COMPOSE_TEXT, { merge: true }) as Doc;
/** A compose service's replica count (`deploy.replicas`, 1 when unset). */
const replicas = (s: Doc) => (s.deploy?.replicas as number | undefined) ?? 1;
const NGINX = read('deploy/nginx.conf');
const FLY = parseToml(read('deploy/fly.toml'));
const RAILWAY = { web: parseToml(read('deploy/railway/web.toml')), worker: parseToml(read('deploy/railway/worker.toml')) };
const README = read('deploy/README.md');
const HEALTHCHECK_SCRIPT = 'deploy/docker/healthcheck.mjs';
const K8S_DIR = 'deploy/k8s';
const KUSTOMIZATION = parseYaml(read(`${K8S_DIR}/kustomization.yaml`)) as Doc;
const K8S: Doc[] = (KUSTOMIZATION.resources as string[]).flatMap((file) =>
  parseAllDocuments(read(`${K8S_DIR}/${file}`)).map((d) => d.toJS() as Doc).filter(Boolean),
);
// KEY=value files (secret.env, postgres.env) are read with dotenv's `parse`. Kustomize takes values
// literally where dotenv strips quotes; the templates use no quotes, so the two agree on them.

// ---------------------------------------------------------------------------------------------

describe('the code the deploy files rely on', () => {
  it('has the role commands, each dispatching to its role', () => {
    for (const [command, fn] of Object.entries(ROLES)) expect(dispatch(command), `src/cli/main.ts: case '${command}'`).toBe(fn);
    expect(MAIN).toMatch(/runServer\(command === 'serve' \? 'serve' : 'all'\)/);
  });

  it('answers the probe paths: the web routes (called for real) and the worker health server', () => {
    expect(WEB_HEALTH_PATHS).toEqual([LIVENESS, READINESS]);
    expect(WEB_DRAINING_STATUS).toEqual({ [LIVENESS]: 200, [READINESS]: 503 });
    expect(WORKER_HEALTH_PATHS).toEqual(expect.arrayContaining([LIVENESS, READINESS]));
  });

  it('listens where the files say by default: PORT 8000, WORKER_HEALTH_PORT 9464', () => {
    expect(DEFAULTS.PORT).toBe(8000);
    expect(DEFAULTS.WORKER_HEALTH_PORT).toBe(9464);
    expect(read('src/runtime/start-worker.ts')).toMatch(/listen\(env\.WORKER_HEALTH_PORT, env\.HOST/);
  });

  it('starts with production dependencies only: esbuild builds dist/, tsx runs the sources without one', () => {
    // Every package bin/ loads, statically (`from '…'`) or when it needs it (`import('…')`).
    const bins = readdirSync('bin').filter((f) => f.endsWith('.js')).map((f) => read(join('bin', f)));
    const packages = bins.flatMap((text) => [...text.matchAll(/(?:from |import\()'([^'.][^']*)'/g)].map((m) => m[1]!.split('/')[0]!)).filter((p) => !p.startsWith('node:'));
    expect(new Set(packages)).toEqual(new Set(['tsx', 'esbuild']));
    for (const pkg of packages) expect(PKG.dependencies, `bin/ loads ${pkg}`).toHaveProperty(pkg);
  });
});

describe('Dockerfile and .dockerignore', () => {
  /** Instructions with line continuations joined. */
  const instructions = DOCKERFILE.replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [, op, rest] = /^(\w+)\s+(.*)$/.exec(l) ?? [];
      return { op: op!.toUpperCase(), args: rest!.trim() };
    });
  const all = (op: string) => instructions.filter((i) => i.op === op).map((i) => i.args);
  const last = (op: string) => all(op).at(-1);
  const execForm = (args: string | undefined) => JSON.parse(args ?? 'null') as string[];
  const argDefaults = Object.fromEntries(all('ARG').map((a) => a.split('=') as [string, string]));
  const stages = all('FROM').map((f) => {
    const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(f) ?? [];
    return { image: image!.replace(/\$\{(\w+)\}/g, (_, n: string) => argDefaults[n] ?? ''), name };
  });
  const envVars: Record<string, string> = {};
  for (const line of all('ENV')) for (const m of line.matchAll(/(\w+)=("[^"]*"|\S+)/g)) envVars[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  const env = effectiveEnv(envVars, 'Dockerfile ENV');

  it('is multi-stage on node:20-bookworm-slim, with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.image).toBe('node:20-bookworm-slim');
    expect(Number(/>=\s*(\d+)/.exec(PKG.engines.node)?.[1])).toBeLessThanOrEqual(20);
    const depsStage = DOCKERFILE.slice(DOCKERFILE.search(/^FROM .* AS deps$/im), DOCKERFILE.search(/^FROM .* AS runtime$/im));
    expect(depsStage).toMatch(/npm ci\b[^\n]*--omit=dev/);
    expect(DOCKERFILE).toMatch(/COPY --from=deps \/app\/node_modules/);
    // dist/ is built in the image, after the sources are copied and before the code turns read-only.
    const build = DOCKERFILE.search(/^RUN node bin\/mock-drama\.js build$/m);
    expect(build, 'the image builds dist/ with `mock-drama build`').toBeGreaterThan(DOCKERFILE.search(/^COPY src /m));
    expect(build).toBeLessThan(DOCKERFILE.search(/^USER /m));
  });

  it('sets known, valid environment: NODE_ENV=production, a reachable HOST', () => {
    expectKnownEnv(Object.keys(envVars), 'Dockerfile ENV');
    expect(envVars.NODE_ENV).toBe('production');
    expectReachable(env, 'Dockerfile');
  });

  it('runs as a non-root user, exposes the ports, and enters through bin/mock-drama.js with `all`', () => {
    const user = last('USER')!;
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(all('EXPOSE').join(' ').split(/\s+/).map(Number)).toEqual(expect.arrayContaining([env.PORT, env.WORKER_HEALTH_PORT]));
    const entry = execForm(last('ENTRYPOINT'));
    expect(entry[0]).toBe('node');
    expect(entry.slice(1, -1), 'the V8 flags on node\'s command line').toEqual(V8_ARGS);
    expect(normalize(entry.at(-1)!)).toBe(BIN);
    const cmd = execForm(last('CMD'));
    expect(cmd).toHaveLength(1);
    expectRole(cmd[0], ALL, 'Dockerfile CMD');
  });

  it('health-checks /healthz with node and the script it copies into the image', () => {
    const hc = last('HEALTHCHECK')!;
    const cmd = JSON.parse(hc.slice(hc.indexOf('CMD') + 3).trim()) as string[];
    expect(cmd.slice(0, 2)).toEqual(['node', HEALTHCHECK_SCRIPT]);
    expect(WEB_HEALTH_PATHS).toContain(cmd[2]);
    expect(cmd[2]).toBe(LIVENESS);
    expect(all('COPY')).toContain(`${HEALTHCHECK_SCRIPT} ./${HEALTHCHECK_SCRIPT}`);
  });

  // .dockerignore, as Docker reads it: the last matching pattern wins; a pattern also matches a
  // path through any of its parent directories.
  const ignorePatterns = DOCKERIGNORE.split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const globToRegex = (glob: string): RegExp => {
    let re = '';
    for (let i = 0; i < glob.length; i++) {
      const c = glob[i]!;
      if (c === '*' && glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
  };
  const ignoreRules = ignorePatterns.map((p) => {
    const negated = p.startsWith('!');
    return { negated, re: globToRegex((negated ? p.slice(1) : p).replace(/^\/+|\/+$/g, '')) };
  });
  const inContext = (path: string): boolean => {
    const parts = path.split('/');
    let excluded = false;
    for (const rule of ignoreRules) {
      if (parts.some((_, i) => rule.re.test(parts.slice(0, i + 1).join('/')))) excluded = !rule.negated;
    }
    return !excluded;
  };
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));

  const copySources = all('COPY')
    .filter((c) => !c.startsWith('--from'))
    .flatMap((c) => c.split(/\s+/).filter((t) => !t.startsWith('--')).slice(0, -1));

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    expect(copySources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'bin', 'src', 'stories', HEALTHCHECK_SCRIPT]));
    for (const src of copySources) {
      expect(exists(src), `COPY ${src}`).toBe(true);
      expect(inContext(src), `COPY ${src} is excluded by .dockerignore`).toBe(true);
    }
    for (const secretish of ['.env', 'node_modules/tsx/package.json', 'data/jwt-secret', '.git/config', 'tests/e2e/cli.test.ts', 'deploy/k8s/secret.env']) {
      expect(inContext(secretish), `${secretish} must stay out of the build context`).toBe(false);
    }
  });

  it('puts every file the running code needs into the image (migrations, stories, relative imports)', () => {
    const copied = copySources.flatMap((src) => (statSync(join(ROOT, src)).isDirectory() ? walk(src) : [src])).filter(inContext);
    const inImage = new Set(copied);
    expect(copied).toEqual(expect.arrayContaining([BIN, 'src/cli/main.ts', 'src/storage/migrations/0000_init.sql']));
    expect(copied.some((f) => f.startsWith('stories/') && f.endsWith('.ink'))).toBe(true);
    for (const file of walk('src/storage/migrations')) expect(inImage.has(file), file).toBe(true);
    // Every relative import of a file in the image resolves to a file in the image.
    for (const file of copied.filter((f) => /\.(ts|js|mjs)$/.test(f))) {
      for (const m of read(file).matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = relative(ROOT, join(ROOT, dirname(file), m[1]!));
        const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.d.ts')];
        expect(candidates.some((c) => inImage.has(c)), `${file} imports ${m[1]}, which is not in the image`).toBe(true);
      }
    }
  });
});

describe('deploy/docker/healthcheck.mjs', () => {
  let server: Server;
  let up = 0;
  let down = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === LIVENESS ? 200 : 503).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    up = (server.address() as AddressInfo).port;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    down = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [HEALTHCHECK_SCRIPT, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
      child.once('exit', resolve);
    });

  it('exits 0 on a 200, 1 on a 503 or when nothing listens', async () => {
    expect(await run([LIVENESS, String(up)])).toBe(0);
    expect(await run([READINESS, String(up)])).toBe(1);
    expect(await run([LIVENESS, String(down)])).toBe(1);
  });

  it('without a port asks PORT, then WORKER_HEALTH_PORT (one image check for every role)', async () => {
    expect(await run([LIVENESS], { PORT: String(up), WORKER_HEALTH_PORT: String(down) })).toBe(0);
    expect(await run([LIVENESS], { PORT: String(down), WORKER_HEALTH_PORT: String(up) })).toBe(0);
    expect(await run([LIVENESS], { PORT: String(down), WORKER_HEALTH_PORT: String(down) })).toBe(1);
  });

  it('reads only known variables', () => {
    expectKnownEnv([...read(HEALTHCHECK_SCRIPT).matchAll(/process\.env\.(\w+)/g)].map((m) => m[1]!), HEALTHCHECK_SCRIPT);
  });
});

describe('docker-compose.yml', () => {
  const services = COMPOSE.services as Record<string, Doc>;
  const appServices = Object.entries(services).filter(([, s]) => s.build !== undefined || String(s.image).startsWith('mock-drama:'));
  const byCommand = (role: Role) => appServices.filter(([, s]) => s.command?.[0] === role);
  const interpolation = /\$\{([A-Za-z_]\w*)(?:(:?[-?])([^}]*))?\}/g;
  /** Values for ${…}: JWT_SECRET as a user would set it, everything else at its default. */
  const userVars: Record<string, string> = { JWT_SECRET: 'compose-secret-compose-secret-0123456789' };
  const interpolate = (value: unknown) =>
    String(value).replace(interpolation, (_, name: string, op: string | undefined, arg: string | undefined) => userVars[name] ?? (op?.endsWith('-') ? (arg ?? '') : ''));
  const appEnv = (s: Doc): Env =>
    effectiveEnv(Object.fromEntries(Object.entries(s.environment as Doc).map(([k, v]) => [k, interpolate(v)])), 'docker-compose.yml environment');

  it('runs 2 web servers (web1, web2) and 3 workers from the one image', () => {
    const webs = byCommand(WEB);
    const workers = byCommand(WORKER);
    expect(webs.map(([name]) => name).sort()).toEqual(['web1', 'web2']);
    expect(webs.reduce((n, [, s]) => n + replicas(s), 0)).toBe(2);
    expect(workers.reduce((n, [, s]) => n + replicas(s), 0)).toBe(3);
    expect(webs.length + workers.length, 'every app service is a web server or a worker').toBe(appServices.length);
    for (const [name, s] of appServices) {
      expect(s.command, name).toHaveLength(1);
      expectRole(s.command[0], s.command[0] === WEB ? WEB : WORKER, `docker-compose.yml ${name}.command`);
      expect(s.build, name).toBe('.');
    }
    expect(new Set(appServices.map(([, s]) => s.image)).size).toBe(1);
  });

  it('gives every app process a known, valid, reachable environment with the distributed settings', () => {
    for (const [name, s] of appServices) {
      const keys = Object.keys(s.environment as Doc);
      expectKnownEnv(keys, `docker-compose.yml ${name}.environment`);
      expect(keys).toEqual(expect.arrayContaining(DISTRIBUTED_REQUIRED));
      const env = appEnv(s);
      expectReachable(env, name);
      expect(s.environment.JWT_SECRET, 'JWT_SECRET must come from .env, required').toMatch(/^\$\{JWT_SECRET:\?/);
      expect(s.init, `${name}: init forwards signals`).toBe(true);
      expect(seconds(s.stop_grace_period), `${name}: stop_grace_period`).toBeGreaterThan(graceSeconds(env));
    }
  });

  it('uses only known variables in ${…}, and documents the compose-only ones', () => {
    const names = new Set([...COMPOSE_TEXT.matchAll(interpolation)].map((m) => m[1]!));
    expectKnownEnv(names, 'docker-compose.yml ${…}', COMPOSE_ONLY_VARS);
    for (const name of COMPOSE_ONLY_VARS) {
      expect(names.has(name), `${name} is listed as compose-only but not used`).toBe(true);
      expect(README, `deploy/README.md documents ${name}`).toContain(`\`${name}\``);
    }
  });

  it('health-checks web on /readyz at PORT and workers on /readyz at WORKER_HEALTH_PORT', () => {
    for (const [name, s] of appServices) {
      const env = appEnv(s);
      const [kind, node, script, path, port] = s.healthcheck.test as string[];
      expect([kind, node, script]).toEqual(['CMD', 'node', HEALTHCHECK_SCRIPT]);
      expect(path).toBe(READINESS);
      if (s.command[0] === WEB) {
        expect(WEB_HEALTH_PATHS).toContain(path);
        expect(Number(port), name).toBe(env.PORT);
      } else {
        expect(WORKER_HEALTH_PATHS).toContain(path);
        expect(Number(port), name).toBe(env.WORKER_HEALTH_PORT);
      }
    }
  });

  it('waits for healthy PostgreSQL (pgvector) and Redis 7 (append-only, on a volume), which the URLs name', () => {
    const volumes = Object.keys(COMPOSE.volumes as Doc);
    for (const [name, s] of appServices) {
      const env = appEnv(s);
      const pgHost = new URL(env.DATABASE_URL!).hostname;
      const redisHost = new URL(env.REDIS_URL!).hostname;
      expect(services[pgHost]?.image, `${name}: DATABASE_URL host`).toMatch(/^pgvector\/pgvector:pg1[5-9]/);
      expect(services[redisHost]?.image, `${name}: REDIS_URL host`).toMatch(/^redis:7/);
      for (const dep of [pgHost, redisHost]) {
        expect(s.depends_on?.[dep]?.condition, `${name} depends_on ${dep}`).toBe('service_healthy');
        expect(services[dep]?.healthcheck, `${dep} has a healthcheck`).toBeDefined();
      }
    }
    const redis = services.redis!;
    const cmd = redis.command as string[];
    expect(cmd[cmd.indexOf('--appendonly') + 1]).toBe('yes');
    expect(cmd[cmd.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    const redisVolume = (redis.volumes as string[]).find((v) => v.endsWith(':/data'))!;
    expect(volumes).toContain(redisVolume.split(':')[0]);
    const pgVolume = (services.postgres!.volumes as string[]).find((v) => v.endsWith(':/var/lib/postgresql/data'))!;
    expect(volumes).toContain(pgVolume.split(':')[0]);
    // The connection budget: every app process at DATABASE_POOL_SIZE fits in max_connections.
    const maxConnections = Number(/max_connections=(\d+)/.exec((services.postgres!.command as string[]).join(' '))?.[1] ?? 100);
    const processes = appServices.reduce((n, [, s]) => n + replicas(s), 0);
    expect(processes * appEnv(appServices[0]![1]).DATABASE_POOL_SIZE).toBeLessThan(maxConnections);
  });

  it('puts nginx (deploy/nginx.conf) on port 80 in front of exactly the web services', () => {
    const nginx = services.nginx!;
    expect(nginx.image).toMatch(/^nginx:/);
    const mount = (nginx.volumes as string[]).find((v) => v.includes(':/etc/nginx/nginx.conf'))!;
    expect(normalize(mount.split(':')[0]!)).toBe('deploy/nginx.conf');
    const listen = Number(/^\s*listen (\d+);/m.exec(NGINX)?.[1]);
    expect((nginx.ports as string[]).map((p) => Number(interpolate(p).split(':').at(-1)))).toContain(listen);
    const upstream = /upstream mock_drama_web \{([\s\S]*?)\}/.exec(NGINX)![1]!;
    const servers = [...upstream.matchAll(/^\s*server ([\w.-]+):(\d+)/gm)].map((m) => ({ host: m[1]!, port: Number(m[2]) }));
    expect(servers.map((s) => s.host).sort()).toEqual(byCommand(WEB).map(([name]) => name).sort());
    for (const [name, s] of byCommand(WEB)) {
      expect(servers.find((x) => x.host === name)?.port, `nginx upstream ${name}`).toBe(appEnv(s).PORT);
      expect(nginx.depends_on?.[name]?.condition).toBe('service_healthy');
    }
  });
});

describe('docker-compose.combined.yml (layered over docker-compose.yml)', () => {
  const OVERRIDE_FILE = 'docker-compose.combined.yml';
  const overrides = (parseYaml(read(OVERRIDE_FILE), { merge: true }) as Doc).services as Record<string, Doc>;
  const base = COMPOSE.services as Record<string, Doc>;
  /** What `docker compose -f docker-compose.yml -f docker-compose.combined.yml` runs, for the keys the override may set. */
  const merged: Record<string, Doc> = Object.fromEntries(
    Object.entries(base).map(([name, s]) => {
      const o = overrides[name] ?? {};
      return [name, { ...s, ...o, ...(s.deploy || o.deploy ? { deploy: { ...s.deploy, ...o.deploy } } : {}) }];
    }),
  );
  const command = `docker compose -f docker-compose.yml -f ${OVERRIDE_FILE} up -d --build`;

  it('only changes the app services\' commands and replica counts', () => {
    for (const [name, o] of Object.entries(overrides)) {
      expect(base[name], `${name} is a service of docker-compose.yml`).toBeDefined();
      expect(Object.keys(o).filter((k) => k !== 'command' && k !== 'deploy'), name).toEqual([]);
      expect(Object.keys(o.deploy ?? {}).filter((k) => k !== 'replicas'), `${name}.deploy`).toEqual([]);
    }
  });

  it('runs both roles in web1 and web2 (the upstream servers nginx names), and no separate workers', () => {
    const app = Object.entries(merged).filter(([, s]) => s.build !== undefined);
    const running = app.filter(([, s]) => replicas(s) > 0);
    expect(running.map(([name]) => name).sort()).toEqual(['web1', 'web2']);
    for (const [name, s] of running) {
      expectRole(s.command[0], ALL, `${OVERRIDE_FILE} ${name}.command`);
      // docker-compose.yml's web health check stays: `all` serves /readyz at PORT like `serve`.
      expect(s.healthcheck, name).toEqual(base[name]!.healthcheck);
      expect(s.healthcheck.test[3]).toBe(READINESS);
      // The distributed settings are docker-compose.yml's: `all` with both URLs plays both roles.
      expect(Object.keys(s.environment as Doc)).toEqual(expect.arrayContaining(DISTRIBUTED_REQUIRED));
    }
    expect(app.filter(([, s]) => s.command?.[0] === WORKER).every(([, s]) => replicas(s) === 0)).toBe(true);
  });

  it('is documented with its command in deploy/README.md, the file\'s own header and the README', () => {
    expect(README).toContain(command);
    expect(read(OVERRIDE_FILE)).toContain(command);
    expect(read('README.md')).toContain(OVERRIDE_FILE);
  });
});

describe('deploy/nginx.conf', () => {
  const location = (head: string) => {
    const at = NGINX.indexOf(`location ${head} {`);
    expect(at, `location ${head}`).toBeGreaterThan(0);
    return NGINX.slice(at, NGINX.indexOf('}', at));
  };

  it('routes the WebSocket and SSE paths the app serves to their streaming locations', () => {
    const wsRoute = /'(\/ws\/[^']+)'/.exec(read('src/http/stream/ws.ts'))![1]!;
    const sseRoute = /app\.get\('([^']+\/events)'/.exec(read('src/http/stream/sse.ts'))![1]!;
    expect(location('/ws/')).toMatch(/proxy_read_timeout 1h;/);
    expect(wsRoute.startsWith('/ws/')).toBe(true);
    // The upgrade headers are set once for the server: a location that set any header of its own
    // would drop the server's (nginx does not merge them), so no location sets one.
    expect(NGINX).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(NGINX).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    for (const loc of NGINX.replace(/#.*$/gm, '').matchAll(/location [^{]+\{[^}]*\}/g)) expect(loc[0]).not.toMatch(/proxy_set_header/);
    const [, sseRegex] = /location ~ (\S+) \{/.exec(NGINX)!;
    expect(new RegExp(sseRegex!).test(sseRoute.replace(/:\w+/g, 'abc-123'))).toBe(true);
    expect(location(`~ ${sseRegex}`)).toMatch(/proxy_buffering off;/);
  });

  it.skipIf(spawnSync('nginx', ['-v']).error !== undefined)('passes `nginx -t` (upstream hosts mapped to 127.0.0.1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-nginx-t-'));
    try {
      const conf = NGINX.replace(/^(\s*server )web\d+(:\d+)/gm, '$1127.0.0.1$2').replace(
        'worker_processes auto;',
        `worker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;`,
      );
      expect(conf).not.toMatch(/server web\d/);
      writeFileSync(join(dir, 'nginx.conf'), conf);
      const result = spawnSync('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/test is successful/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/fly.toml', () => {
  const env = effectiveEnv(FLY.env as TomlTable, 'fly.toml [env]');

  it.skipIf(!PYTHON_TOMLLIB)('is TOML (the test parser agrees with Python tomllib)', () => {
    for (const file of ['deploy/fly.toml', 'deploy/railway/web.toml', 'deploy/railway/worker.toml']) {
      const py = spawnSync('python3', ['-c', 'import sys, json, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))', join(ROOT, file)], { encoding: 'utf8' });
      expect(py.status, py.stderr).toBe(0);
      expect(parseToml(read(file)), file).toEqual(JSON.parse(py.stdout));
    }
  });

  it('has a web (serve) and a worker (work) process group', () => {
    const processes = FLY.processes as Record<string, string>;
    expect(Object.keys(processes).sort()).toEqual(['web', 'worker']);
    expectRole(processes.web, WEB, 'fly.toml [processes] web');
    expectRole(processes.worker, WORKER, 'fly.toml [processes] worker');
  });

  it('gives every machine 2 shared CPUs and 2 GB', () => {
    const vms = FLY.vm as TomlTable[];
    expect(vms).toHaveLength(1);
    expect(vms[0]).not.toHaveProperty('processes');
    expect(vms[0]).toMatchObject({ cpu_kind: 'shared', cpus: 2, memory: '2gb' });
  });

  it('sets known, valid, reachable environment and outwaits the drain', () => {
    expectKnownEnv(Object.keys(FLY.env as TomlTable), 'fly.toml [env]');
    expectReachable(env, 'fly.toml');
    expect(FLY.kill_signal).toBe('SIGTERM');
    expect(seconds(FLY.kill_timeout as string)).toBeGreaterThan(graceSeconds(env));
  });

  it('serves HTTP from the web group on PORT with /readyz, and checks workers on WORKER_HEALTH_PORT', () => {
    const http = FLY.http_service as TomlTable;
    expect(http.processes).toEqual(['web']);
    expect(http.internal_port).toBe(env.PORT);
    const checks = http.checks as TomlTable[];
    expect(checks.map((c) => c.path)).toEqual([READINESS]);
    expect(WEB_HEALTH_PATHS).toContain(READINESS);
    const workerChecks = Object.values(FLY.checks as Record<string, TomlTable>).filter((c) => (c.processes as string[]).includes('worker'));
    expect(workerChecks).toHaveLength(1);
    expect(workerChecks[0]).toMatchObject({ type: 'http', port: env.WORKER_HEALTH_PORT, path: READINESS });
    expect(WORKER_HEALTH_PATHS).toContain(READINESS);
  });

  it('builds the root Dockerfile, and deploy/README.md scales it to web=2 worker=3', () => {
    expect(normalize(join('deploy', (FLY.build as TomlTable).dockerfile as string))).toBe('Dockerfile');
    expect(README).toMatch(/fly scale count (?=[^\n]*\bweb=2\b)(?=[^\n]*\bworker=3\b)/);
    expect(README).toContain('fly deploy --config deploy/fly.toml');
  });
});

describe('deploy/railway/*.toml', () => {
  /** Railway's variables are set with the CLI: the ones deploy/README.md sets. */
  const RAILWAY_VARS = Object.fromEntries([...README.matchAll(/--set ['"]([A-Z_]+)=([^'"]*)['"]/g)].map((m) => [m[1]!, m[2]!]));
  const RAILWAY_ENV = effectiveEnv(
    Object.fromEntries(Object.entries(RAILWAY_VARS).filter(([, v]) => !v.includes('$'))),
    'deploy/README.md railway variables',
  );
  const cases = [
    { service: 'web', role: WEB, replicas: 2 },
    { service: 'worker', role: WORKER, replicas: 3 },
  ] as const;

  for (const { service, role, replicas } of cases) {
    it(`${service}: ${replicas} replicas of \`${role}\` from the root Dockerfile, drained longer than SHUTDOWN_GRACE_MS`, () => {
      const file = RAILWAY[service];
      const deploy = file.deploy as TomlTable;
      const [node, ...args] = String(deploy.startCommand).split(/\s+/);
      expect(node).toBe('node');
      expect(args.slice(0, V8_ARGS.length), 'the V8 flags on node\'s command line').toEqual(V8_ARGS);
      const [bin, command, ...rest] = args.slice(V8_ARGS.length);
      expect(normalize(bin!)).toBe(BIN);
      expect(rest).toEqual([]);
      expectRole(command, role, `railway ${service} startCommand`);
      expect(deploy.numReplicas).toBe(replicas);
      expect(deploy.drainingSeconds).toBeGreaterThan(graceSeconds(RAILWAY_ENV));
      expect(exists((file.build as TomlTable).dockerfilePath as string)).toBe(true);
      expect(README).toContain(`/deploy/railway/${service}.toml`);
    });
  }

  it('web: the deploy check calls /readyz; the worker has none (its health port is not $PORT)', () => {
    expect((RAILWAY.web.deploy as TomlTable).healthcheckPath).toBe(READINESS);
    expect(WEB_HEALTH_PATHS).toContain(READINESS);
    expect(RAILWAY.worker.deploy as TomlTable).not.toHaveProperty('healthcheckPath');
  });

  it('deploy/README.md sets the required variables with known names', () => {
    const names = Object.keys(RAILWAY_VARS);
    expectKnownEnv(names, 'deploy/README.md railway variables');
    expect(names).toEqual(expect.arrayContaining([...DISTRIBUTED_REQUIRED, 'HOST']));
    expectReachable(RAILWAY_ENV, 'railway variables');
    expect(README).toMatch(/railway up --service web/);
  });
});

describe('deploy/k8s/with-data (PostgreSQL and Redis in the cluster)', () => {
  const dir = `${K8S_DIR}/with-data`;
  const kustomization = parseYaml(read(`${dir}/kustomization.yaml`)) as Doc;
  const docs: Doc[] = (kustomization.resources as string[])
    .filter((r) => r !== '../')
    .flatMap((file) => parseAllDocuments(read(`${dir}/${file}`)).map((d) => d.toJS() as Doc).filter(Boolean));
  const statefulSet = (name: string) => docs.find((d) => d.kind === 'StatefulSet' && d.metadata.name === name)!;
  const container = (d: Doc) => d.spec.template.spec.containers[0] as Doc;

  it('adds PostgreSQL (pgvector) and Redis as StatefulSets on persistent volumes to the base, in its namespace', () => {
    expect(kustomization.resources).toContain('../');
    expect(kustomization.namespace).toBe(KUSTOMIZATION.namespace);
    for (const name of ['mock-drama-postgres', 'mock-drama-redis']) {
      const set = statefulSet(name);
      expect(set, name).toBeDefined();
      expect(set.spec.serviceName).toBe(name);
      expect(set.spec.volumeClaimTemplates[0].spec.resources.requests.storage, name).toMatch(/Gi$/);
      expect(container(set).volumeMounts[0].name).toBe(set.spec.volumeClaimTemplates[0].metadata.name);
      expect(container(set).readinessProbe, name).toBeDefined();
      const service = docs.find((d) => d.kind === 'Service' && d.metadata.name === name)!;
      expect(service.spec.selector).toEqual(set.spec.selector.matchLabels);
    }
    expect(container(statefulSet('mock-drama-postgres')).image).toMatch(/^pgvector\/pgvector:/);
    const redisArgs = container(statefulSet('mock-drama-redis')).args.join(' ');
    expect(redisArgs).toContain('--appendonly yes');
    expect(redisArgs).toContain('--maxmemory-policy noeviction');
  });

  it("the database password comes from a generated Secret, and secret.env's template shows the in-cluster URLs", () => {
    const generated = (kustomization.secretGenerator as Doc[]).map((g) => g.name);
    const ref = container(statefulSet('mock-drama-postgres')).env.find((e: Doc) => e.name === 'POSTGRES_PASSWORD').valueFrom.secretKeyRef;
    expect(generated).toContain(ref.name);
    expect(parseDotenv(read(`${dir}/postgres.env.example`))).toHaveProperty(ref.key);
    expect(read(`${dir}/.gitignore`)).toContain('postgres.env');
    const template = read(`${K8S_DIR}/secret.env.example`);
    expect(template).toContain('@mock-drama-postgres:5432/mock_drama');
    expect(template).toContain('redis://mock-drama-redis:6379');
  });
});

describe('deploy/k8s', () => {
  const kind = (k: string) => K8S.filter((d) => d.kind === k);
  const one = (k: string, name?: string) => {
    const found = kind(k).filter((d) => name === undefined || d.metadata.name === name);
    expect(found, `${k} ${name ?? ''}`).toHaveLength(1);
    return found[0]!;
  };
  const deployments = kind('Deployment');
  const container = (d: Doc) => d.spec.template.spec.containers[0] as Doc;
  const byArgs = (role: Role) => deployments.filter((d) => container(d).args?.[0] === role);
  const configMap = one('ConfigMap');
  const secretTemplate = parseDotenv(read(`${K8S_DIR}/secret.env.example`));
  const env = effectiveEnv(configMap.data as Doc, 'ConfigMap');
  /** A probe's or Service's port (number or name) → the container's port number. */
  const containerPort = (c: Doc, port: number | string) =>
    typeof port === 'number' ? port : ((c.ports as Doc[]).find((p) => p.name === port)?.containerPort as number | undefined);

  it('lists every manifest in kustomization.yaml', () => {
    const files = readdirSync(join(ROOT, K8S_DIR)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...(KUSTOMIZATION.resources as string[])].sort()).toEqual(files.sort());
  });

  it('has the pieces: Deployments, Services, Ingress, HPA, ConfigMap, Secret', () => {
    expect(deployments).toHaveLength(2);
    for (const k of ['Namespace', 'Service', 'Ingress', 'HorizontalPodAutoscaler', 'ConfigMap', 'PodDisruptionBudget']) expect(kind(k).length, k).toBeGreaterThan(0);
    expect(KUSTOMIZATION.secretGenerator[0].envs).toEqual(['secret.env']);
  });

  it('ConfigMap: known names (commented examples too), valid values, a reachable HOST', () => {
    expectKnownEnv(Object.keys(configMap.data as Doc), 'ConfigMap');
    const commented = [...read(`${K8S_DIR}/configmap.yaml`).matchAll(/^\s*#\s*([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expectKnownEnv(commented, 'ConfigMap comments');
    expectReachable(env, 'ConfigMap');
  });

  it('Secret template: known names, the distributed ones, and placeholders that fail fast', () => {
    expectKnownEnv(Object.keys(secretTemplate), 'secret.env.example');
    expectKnownEnv([...read(`${K8S_DIR}/secret.env.example`).matchAll(/^#\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!), 'secret.env.example comments');
    expect(Object.keys(secretTemplate)).toEqual(expect.arrayContaining([...DISTRIBUTED_REQUIRED, 'ADMIN_TOKEN']));
    for (const name of Object.keys(secretTemplate)) expect(configMap.data, `${name} belongs in the Secret only`).not.toHaveProperty(name);
    const parsed = envSchema.safeParse({ ...(configMap.data as Doc), ...secretTemplate });
    expect(parsed.success, 'the CHANGE-ME template must not start').toBe(false);
    const rejected = new Set(parsed.error!.issues.map((i) => String(i.path[0])));
    expect(rejected.has('JWT_SECRET')).toBe(true);
    expect(read(`${K8S_DIR}/.gitignore`).split('\n')).toContain('secret.env');
  });

  it('every container gets the ConfigMap and the generated Secret, and runs the kustomized image', () => {
    const secretName = KUSTOMIZATION.secretGenerator[0].name as string;
    const imageName = KUSTOMIZATION.images[0].name as string;
    for (const d of deployments) {
      const c = container(d);
      const from = (c.envFrom as Doc[]).map((e) => e.configMapRef?.name ?? e.secretRef?.name);
      expect(from, d.metadata.name).toEqual([configMap.metadata.name, secretName]);
      expect(c.image).toBe(imageName);
      expectKnownEnv(((c.env as Doc[] | undefined) ?? []).map((e) => e.name as string), `${d.metadata.name} env`);
      expect(d.spec.template.spec.volumes.some((v: Doc) => v.emptyDir) && c.volumeMounts.some((m: Doc) => m.mountPath === '/tmp'), 'tsx needs a writable /tmp').toBe(true);
    }
  });

  it('web: 2 replicas of `serve` on PORT, /healthz liveness, /readyz readiness, preStop + grace > SHUTDOWN_GRACE_MS', () => {
    const [web, ...others] = byArgs(WEB);
    expect(others).toEqual([]);
    const c = container(web!);
    expect(web!.spec.replicas).toBe(2);
    expect(c.args).toHaveLength(1);
    expectRole(c.args[0], WEB, 'web Deployment args');
    expect((c.ports as Doc[]).map((p) => p.containerPort)).toEqual([env.PORT]);
    for (const [probe, path] of [['livenessProbe', LIVENESS], ['readinessProbe', READINESS], ['startupProbe', LIVENESS]] as const) {
      expect(c[probe].httpGet.path, probe).toBe(path);
      expect(WEB_HEALTH_PATHS).toContain(path);
      expect(containerPort(c, c[probe].httpGet.port), probe).toBe(env.PORT);
    }
    const [sleep, secondsToSleep] = c.lifecycle.preStop.exec.command as string[];
    expect(sleep).toBe('sleep');
    expect(web!.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(Number(secondsToSleep) + graceSeconds(env));
  });

  it('worker: 3 replicas of `work`, probes on WORKER_HEALTH_PORT, grace > SHUTDOWN_GRACE_MS', () => {
    const [worker, ...others] = byArgs(WORKER);
    expect(others).toEqual([]);
    const c = container(worker!);
    expect(worker!.spec.replicas).toBe(3);
    expect(c.args).toHaveLength(1);
    expectRole(c.args[0], WORKER, 'worker Deployment args');
    expect((c.ports as Doc[]).map((p) => p.containerPort)).toEqual([env.WORKER_HEALTH_PORT]);
    for (const [probe, path] of [['livenessProbe', LIVENESS], ['readinessProbe', READINESS], ['startupProbe', LIVENESS]] as const) {
      expect(c[probe].httpGet.path, probe).toBe(path);
      expect(WORKER_HEALTH_PATHS).toContain(path);
      expect(containerPort(c, c[probe].httpGet.port), probe).toBe(env.WORKER_HEALTH_PORT);
    }
    expect(worker!.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(graceSeconds(env));
  });

  it('Services select their pods and reach the container ports; the Ingress reaches the web Service', () => {
    for (const svc of kind('Service')) {
      const target = deployments.find((d) => Object.entries(svc.spec.selector as Doc).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect(target, `Service ${svc.metadata.name} selects a Deployment`).toBeDefined();
      for (const p of svc.spec.ports as Doc[]) expect(containerPort(container(target!), p.targetPort), `${svc.metadata.name} ${p.name}`).toBeDefined();
    }
    const web = byArgs(WEB)[0]!;
    const ingress = one('Ingress');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    const backends = (ingress.spec.rules as Doc[]).flatMap((r) => (r.http.paths as Doc[]).map((p) => p.backend.service as Doc));
    expect(backends.length).toBeGreaterThan(0);
    for (const b of backends) {
      const svc = one('Service', b.name as string);
      expect(Object.entries(svc.spec.selector as Doc).every(([k, v]) => web.spec.template.metadata.labels[k] === v), 'Ingress → web pods').toBe(true);
      const port = (svc.spec.ports as Doc[]).find((p) => p.name === b.port.name || p.port === b.port.number);
      expect(port, 'Ingress backend port exists on the Service').toBeDefined();
      expect(containerPort(container(web), port!.targetPort)).toBe(env.PORT);
    }
  });

  it('Ingress: WebSocket/SSE timeouts, no buffering, and the same retry rule and body limit as nginx.conf', () => {
    const a = one('Ingress').metadata.annotations as Record<string, string>;
    const p = 'nginx.ingress.kubernetes.io/';
    expect(a[`${p}proxy-read-timeout`]).toBe('3600');
    expect(a[`${p}proxy-send-timeout`]).toBe('3600');
    expect(a[`${p}proxy-buffering`]).toBe('off');
    const wsBlock = NGINX.slice(NGINX.indexOf('location /ws/'));
    expect(seconds(/proxy_read_timeout (\S+);/.exec(wsBlock)![1]!)).toBe(Number(a[`${p}proxy-read-timeout`]));
    expect(a[`${p}proxy-next-upstream`]).toBe(/proxy_next_upstream ([^;]+);/.exec(NGINX)![1]);
    expect(a[`${p}proxy-next-upstream-tries`]).toBe(/proxy_next_upstream_tries (\d+);/.exec(NGINX)![1]);
    expect(a[`${p}proxy-body-size`]).toBe(/client_max_body_size (\S+);/.exec(NGINX)![1]);
  });

  it('HPA: autoscaling/v2 on the worker Deployment, minimum = its replicas; CPU and the queue depth per worker', () => {
    const hpa = one('HorizontalPodAutoscaler');
    const worker = byArgs(WORKER)[0]!;
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: worker.metadata.name });
    expect(hpa.spec.minReplicas).toBe(worker.spec.replicas);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect((hpa.spec.metrics as Doc[]).map((m) => m.type)).toEqual(['Resource', 'External']);
    expect(container(worker).resources.requests.cpu, 'CPU utilization needs a CPU request').toBeDefined();
    // The External metric is published by prometheus-adapter from a recording rule; that chain
    // (rule → adapter → this name) is checked against the code in tests/observability-files.test.ts.
    const external = (hpa.spec.metrics as Doc[]).find((m) => m.type === 'External')!.external;
    expect(external.metric.name).toBe('mock_drama_queue_depth_per_worker');
    expect(external.target.type, 'the metric is already per worker').toBe('Value');
    expect(Number(external.target.value)).toBeLessThanOrEqual(env.WORKER_CONCURRENCY);
    expect(README).toContain('deploy/observability/');
  });

  it.skipIf(spawnSync('kubectl', ['version', '--client']).status !== 0)('renders with `kubectl kustomize` (secret.env from the template)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-kustomize-'));
    try {
      cpSync(join(ROOT, K8S_DIR), dir, { recursive: true });
      cpSync(join(dir, 'secret.env.example'), join(dir, 'secret.env'));
      const out = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      const docs = parseAllDocuments(out.stdout).map((d) => d.toJS() as Doc);
      const secret = docs.find((d) => d.kind === 'Secret')!;
      expect(Object.keys(secret.data as Doc).sort()).toEqual(Object.keys(secretTemplate).sort());
      for (const d of docs.filter((x) => x.kind !== 'Namespace')) expect(d.metadata.namespace, `${d.kind} ${d.metadata.name}`).toBe(KUSTOMIZATION.namespace);
      for (const d of docs.filter((x) => x.kind === 'Deployment')) {
        const c = container(d);
        expect(c.envFrom.find((e: Doc) => e.secretRef).secretRef.name, 'secretRef follows the generated name').toBe(secret.metadata.name);
        expect(c.image).toBe(`${KUSTOMIZATION.images[0].newName}:${KUSTOMIZATION.images[0].newTag}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/README.md', () => {
  it('documents every deploy file', () => {
    const files = ['Dockerfile', '.dockerignore', 'docker-compose.yml', 'docker-compose.combined.yml', 'deploy/nginx.conf', HEALTHCHECK_SCRIPT, 'deploy/fly.toml', 'deploy/railway/web.toml', 'deploy/railway/worker.toml', ...walk('deploy/k8s')];
    for (const file of files) {
      expect(exists(file), file).toBe(true);
      const name = file.startsWith('deploy/k8s/') ? file.slice('deploy/k8s/'.length) : file;
      if (!name.endsWith('.gitignore')) expect(README, `deploy/README.md mentions ${name}`).toContain(name);
    }
  });

  it('gives the commands for each target', () => {
    for (const command of ['docker build', 'docker compose up -d --build', 'docker compose up -d --scale worker=', 'fly deploy', 'fly secrets set', 'railway up', 'kubectl apply -k deploy/k8s']) {
      expect(README).toContain(command);
    }
  });

  it('names only known variables in its commands', () => {
    const names = new Set([...README.matchAll(/\b([A-Z][A-Z0-9_]{2,})=/g)].map((m) => m[1]!));
    expectKnownEnv(names, 'deploy/README.md', COMPOSE_ONLY_VARS);
    for (const name of DISTRIBUTED_REQUIRED) expect(names.has(name), name).toBe(true);
  });

  function walk(dir: string): string[] {
    return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
  }
});
