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
import { replayFromBundle, replaySession, whatIfSession, type ReplayBundle, type WhatIfOptions } from '../domain/replay-service.js';
import type { WhatIfReport } from '../domain/replay-what-if.js';
import { InkStoryEngine } from '../engine/ink/ink-story-engine.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { silentLogger } from '../shared/logger.js';

const USAGE = 'Usage: mock-drama replay --session <id> [--from n] [--to m] [--story-version <v>] [--live]\n       mock-drama replay <bundle.json>';

function turnOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new DramaError('bad_request', `--${name} must be a turn number (1 or more)`);
  return n;
}

async function fromSession(sessionId: string, from: number | undefined, to: number | undefined, whatIf: WhatIfOptions | null): Promise<ReplayReport | WhatIfReport> {
  const rt = await createRuntime(loadEnv(), { logger: silentLogger(), installStories: false });
  const range = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
  try {
    return whatIf ? await whatIfSession(rt.deps, sessionId, range, whatIf) : await replaySession(rt.deps, sessionId, range);
  } finally {
    await rt.close();
  }
}

export async function runReplay(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { session: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, 'story-version': { type: 'string' }, live: { type: 'boolean' } } });
  let report: ReplayReport | WhatIfReport;
  const storyVersion = values['story-version'];
  const whatIf = storyVersion !== undefined || values.live ? { ...(storyVersion !== undefined ? { storyVersion } : {}), live: values.live === true } : null;
  if (values.session) {
    report = await fromSession(values.session, turnOption('from', values.from), turnOption('to', values.to), whatIf);
  } else if (positionals.length === 1) {
    const bundle = JSON.parse(await readFile(positionals[0]!, 'utf8')) as ReplayBundle;
    report = await replayFromBundle(new InkStoryEngine(), bundle);
  } else {
    console.error(USAGE);
    return 2;
  }
  console.log(JSON.stringify(report, null, 2));
  // A what-if exits 0: differences are its answer, not a failure.
  return 'identical' in report && !report.identical ? 1 : 0;
}
