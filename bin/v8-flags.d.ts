/** The V8 flags the CLI's processes are started with (on node's command line). */
export const DEFAULT_V8_FLAGS: string;
/** Flags `V8_FLAGS` asks for that node was not started with (V8_FLAGS is no longer applied). */
export function v8FlagsNotApplied(env?: NodeJS.ProcessEnv, execArgv?: readonly string[]): string[];
