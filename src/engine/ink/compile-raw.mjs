// The inkjs compiler call, in plain JavaScript so that a worker thread can run it without a
// TypeScript loader (see compile-worker.mjs). compile-ink.ts turns the result into a CompileOutput.
import { Compiler, CompilerOptions } from 'inkjs/compiler/Compiler';

/**
 * Compile ink source with inkjs. Never throws for bad ink: inkjs throws a bare "Compilation
 * failed." and keeps the real diagnostics, which are returned as strings.
 * @param {string} source
 * @returns {import('./compile-raw.mjs').RawCompile}
 */
export function compileRaw(source) {
  const reported = [];
  const options = new CompilerOptions(null, [], false, (message, type) => {
    reported.push({ message, type });
  });
  const compiler = new Compiler(source, options);
  let json = null;
  try {
    json = compiler.Compile().ToJson() ?? null;
  } catch {
    json = null;
  }
  return { json, reported, errors: [...compiler.errors], warnings: [...compiler.warnings] };
}
