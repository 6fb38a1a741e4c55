/**
 * `mock-drama replay`: re-run recorded turns and print the report (JSON). A session's turns from
 * the configured database, or a bundle file (GET /api/sessions/:id/replay-bundle) with no server,
 * no database and no network. Exit code 0 when identical, 1 when a turn diverged.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadEnv } from '../config/env.js';
import { DramaError } from '../domain/errors.js';
import type { ReplayReport } from '../domain/replay.js';
import { replayFromBundle, replaySession, type ReplayBundle } from '../domain/replay-service.js';
import { InkStoryEngine } from '../engine/ink/ink-story-engine.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { silentLogger } from '../shared/logger.js';

const USAGE = 'Usage: mock-drama replay --session <id> [--from n] [--to m]\n       mock-drama replay <bundle.json>';

function turnOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new DramaError('bad_request', `--${name} must be a turn number (1 or more)`);
  return n;
}

async function fromSession(sessionId: string, from?: number, to?: number): Promise<ReplayReport> {
  const rt = await createRuntime(loadEnv(), { logger: silentLogger(), installStories: false });
  try {
    return await replaySession(rt.deps, sessionId, { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  } finally {
    await rt.close();
  }
}

export async function runReplay(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { session: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } });
  let report: ReplayReport;
  if (values.session) {
    report = await fromSession(values.session, turnOption('from', values.from), turnOption('to', values.to));
  } else if (positionals.length === 1) {
    const bundle = JSON.parse(await readFile(positionals[0]!, 'utf8')) as ReplayBundle;
    report = await replayFromBundle(new InkStoryEngine(), bundle);
  } else {
    console.error(USAGE);
    return 2;
  }
  console.log(JSON.stringify(report, null, 2));
  return report.identical ? 0 : 1;
}
