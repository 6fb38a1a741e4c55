import type { InkFiles } from '../../domain/ports/story-engine.js';

/** What inkjs said about a source: its compiled JSON (null when it failed) and every diagnostic. */
export interface RawCompile {
  json: string | null;
  /** Diagnostics as reported; `type` is inkjs's ErrorType: 0 author (TODO), 1 warning, 2 error. */
  reported: { message: string; type: number }[];
  errors: string[];
  warnings: string[];
}

/** Compile ink source (one file, or several that INCLUDE each other) with inkjs; never throws for bad ink. */
export function compileRaw(input: string | InkFiles): RawCompile;
