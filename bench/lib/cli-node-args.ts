/**
 * What the benchmarks put before `bin/mock-drama.js` when they start it with `process.execPath`:
 * the V8 flags its first line gives node when it is run as a program (bin/v8-flags.js), so a
 * benchmark measures the processes users run.
 */
import { DEFAULT_V8_FLAGS } from '../../bin/v8-flags.js';

export const CLI_NODE_ARGS: readonly string[] = DEFAULT_V8_FLAGS.split(' ');
