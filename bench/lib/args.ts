/** Minimal `--flag value` / `--flag=value` / `--switch` parsing for the benchmark scripts. */

export type Flags = Map<string, string | true>;

export function parseFlags(argv: string[], known: Record<string, 'value' | 'switch'>, usage: string): Flags {
  const flags: Flags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stderr.write(`${usage}\n`);
      process.exit(0);
    }
    if (!arg.startsWith('--')) fail(`unexpected argument "${arg}"`, usage);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const kind = known[name];
    if (!kind) fail(`unknown flag --${name}`, usage);
    if (kind === 'switch') {
      flags.set(name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) fail(`--${name} needs a value`, usage);
    flags.set(name, value);
  }
  return flags;
}

function fail(message: string, usage: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

export function str(flags: Flags, name: string, def: string): string {
  const v = flags.get(name);
  return typeof v === 'string' ? v : def;
}

export function num(flags: Flags, name: string, def: number): number {
  const v = flags.get(name);
  if (typeof v !== 'string') return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${v}"`);
  return n;
}

export function list(flags: Flags, name: string, def: number[]): number[] {
  const v = flags.get(name);
  if (typeof v !== 'string') return def;
  const xs = v.split(',').map((s) => Number(s.trim()));
  if (xs.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--${name} must be a comma list of positive integers, got "${v}"`);
  return xs;
}

/** "120s", "2m", "1500ms" or a bare number of seconds → milliseconds. */
export function duration(flags: Flags, name: string, defMs: number): number {
  const v = flags.get(name);
  if (typeof v !== 'string') return defMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) throw new Error(`--${name} must look like 120s, 2m or 1500ms, got "${v}"`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

export function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}
