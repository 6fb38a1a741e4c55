// The inkjs compiler call, in plain JavaScript so that a worker thread can run it without a
// TypeScript loader (see compile-worker.mjs). compile-ink.ts turns the result into a CompileOutput.
import { Compiler, CompilerOptions } from 'inkjs/compiler/Compiler';

/**
 * The story's other files for INCLUDE, by the names the source uses ("ch1.ink", "parts/ch2.ink").
 * @param {{ main: string, files: Record<string, string> }} input
 */
function includeHandler(input) {
  return {
    ResolveInkFilename: (name) => name.replace(/^\.\//, ''),
    LoadInkFileContents: (name) => {
      const text = Object.hasOwn(input.files, name) ? input.files[name] : undefined;
      if (text === undefined) throw new Error(`there is no file named '${name}' among the story's files`);
      return text;
    },
  };
}

/**
 * Compile ink source with inkjs: one file, or several (`{main, files}`) whose INCLUDEs name each
 * other. Never throws for bad ink: inkjs throws a bare "Compilation failed." and keeps the real
 * diagnostics, which are returned as strings (naming the file for a story of several).
 * @param {string | { main: string, files: Record<string, string> }} input
 * @returns {import('./compile-raw.mjs').RawCompile}
 */
export function compileRaw(input) {
  const reported = [];
  const multi = typeof input !== 'string';
  // countAllVisits: every knot and stitch keeps a visit count, which cards' `visits("knot")` conditions read.
  const options = new CompilerOptions(multi ? input.main : null, [], true, (message, type) => {
    reported.push({ message, type });
  }, multi ? includeHandler(input) : null);
  const compiler = new Compiler(multi ? input.files[input.main] : input, options);
  let json = null;
  try {
    json = compiler.Compile().ToJson() ?? null;
  } catch {
    json = null;
  }
  return { json, reported, errors: [...compiler.errors], warnings: [...compiler.warnings] };
}
