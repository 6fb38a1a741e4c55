/** `--flag value` / `--flag=value` / `--switch` parsing for the benchmark scripts, on node:util's parseArgs. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Flags = Map<string, string | true>;

export function parseFlags(argv: string[], known: Record<string, 'value' | 'switch'>, usage: string): Flags {
  // Help wins wherever it stands, even next to a flag that would be refused.
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(`${usage}\n`);
    process.exit(0);
  }
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, kind] of Object.entries(known)) options[name] = { type: kind === 'value' ? 'string' : 'boolean' };
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    // strict: an unknown flag, a value missing or a stray argument stops the script with the usage.
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err), usage);
  }
  const flags: Flags = new Map();
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string') flags.set(name, value);
    else if (value === true) flags.set(name, true);
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
