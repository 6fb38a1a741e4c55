/**
 * CPU of the ink side of a session alone, in a fresh process: `start()` (a session's opening)
 * for its first 150 calls, as a process that has just started runs them, then 2,000 more warm;
 * then `advance()` without a choice (a turn whose judge took none), after 2,000 untimed calls.
 * `npx tsx bench/tools/story-cpu.ts [stories/lighthouse.ink]`
 */
import { readFileSync } from 'node:fs';
import { compileInk } from '../../src/engine/ink/compile-ink.js';
import { InkStoryRuntime } from '../../src/engine/ink/ink-story-runtime.js';

const file = process.argv[2] ?? 'stories/lighthouse.ink';
const out = compileInk(readFileSync(file, 'utf8'));
if (!out.ok) throw new Error(`${file} does not compile: ${JSON.stringify(out.errors)}`);
const runtime = new InkStoryRuntime({ storyId: 'bench', hash: out.hash, compiledJson: out.compiledJson, writableVariables: out.writableVariables });

function cpuUsPerCall(calls: number, call: () => unknown): number {
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) call();
  const used = process.cpuUsage(before);
  return Math.round((used.user + used.system) / calls);
}

const opening = runtime.start();
const result = {
  story: file,
  stateBytes: opening.state.length,
  startFirst150Us: cpuUsPerCall(150, () => runtime.start()),
  startWarmUs: cpuUsPerCall(2000, () => runtime.start()),
};
const advance = () => runtime.advance(opening.state, { choiceIndex: null, variableUpdates: [] });
cpuUsPerCall(2000, advance);
Object.assign(result, { advanceWithoutChoiceWarmUs: cpuUsPerCall(2000, advance) });
console.log(JSON.stringify(result));
