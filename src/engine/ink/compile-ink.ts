/**
 * Compiling ink source at run time. inkjs throws a bare "Compilation failed." and keeps the
 * real diagnostics in `compiler.errors`; this turns them into `{line, message}` items. The
 * compiler call itself is in compile-raw.mjs, so a worker thread can run it (compile-pool.ts).
 * @module
 */
import { createHash } from 'node:crypto';
import { Story } from 'inkjs/compiler/Compiler';
import type { CompileOutput, InkFiles, UnboundExternal } from '../../domain/ports/story-engine.js';
import { compileRaw, type RawCompile } from './compile-raw.mjs';
import type { InkDiagnostic, VariableType, WritableVariable } from '../../domain/types.js';
import { ConditionError, parseCondition, unknownNames } from '../../shared/card-condition.js';
import { installedPackage } from '../../shared/installed-package.mjs';
import { readGlobalTags } from './global-tags.js';
import { InkStoryRuntime } from './ink-story-runtime.js';
import { declaredVariableNames, variableTypeOf } from './ink-variables.js';

/**
 * Bump when this file changes what a source compiles to, or what it refuses (writable variables,
 * the opening's smoke run, the checks on EXTERNALs): stories stored with the old compiler's key
 * are then compiled again when installed again (see {@link COMPILER_ID}).
 */
const COMPILE_PIPELINE_VERSION = 1;

/** Who compiles here: the same source and the same id give the same version. */
export const COMPILER_ID = `inkjs@${installedPackage('inkjs').version}/${COMPILE_PIPELINE_VERSION}`;

const DIAGNOSTIC = /^(ERROR|WARNING|TODO|RUNTIME ERROR|RUNTIME WARNING)?:?\s*(?:'([^']*)'\s*)?(?:line (\d+):)?\s*(.*)$/s;

/** Parse one inkjs diagnostic string ("ERROR: 'ch1.ink' line 4: Expected …"); the file is kept for a story of several. */
export function parseDiagnostic(raw: string, fallback: InkDiagnostic['severity'], multiFile = false): InkDiagnostic {
  const m = DIAGNOSTIC.exec(raw.trim());
  const kind = m?.[1] ?? '';
  const severity = kind.includes('ERROR') ? 'error' : kind ? 'warning' : fallback;
  const file = multiFile && m?.[2] ? { file: m[2] } : {};
  return { ...file, line: m?.[3] ? Number(m[3]) : 0, message: (m?.[4] ?? raw).trim(), severity };
}

function uniqueDiagnostics(items: InkDiagnostic[]): InkDiagnostic[] {
  const seen = new Set<string>();
  return items
    .filter((d) => {
      const key = `${d.severity}:${d.file ?? ''}:${d.line}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line);
}

function resolveWritable(story: Story, compiledJson: string, names: string[], errors: InkDiagnostic[]): WritableVariable[] {
  const declared = new Set(declaredVariableNames(compiledJson));
  const writable: WritableVariable[] = [];
  for (const name of names) {
    const type: VariableType | null = declared.has(name) ? variableTypeOf(story, name) : null;
    if (type === null) {
      errors.push({ line: 0, severity: 'error', message: `# writable: "${name}" is not a VAR of type int, float, bool or string` });
    } else {
      writable.push({ name, type });
    }
  }
  return writable;
}

/**
 * EXTERNAL functions the story calls with no ink fallback, each with its declaration's line. inkjs
 * names them only in an exception message ("Missing function binding for externals: 'a', 'b' …").
 */
export function unboundExternals(compiledJson: string, source: string | InkFiles): UnboundExternal[] {
  const story = new Story(compiledJson);
  story.allowExternalFunctionFallbacks = true;
  try {
    story.ValidateExternalBindings();
    return [];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const list = /externals?:\s*(.*?)(?:,?\s*and no fallback|\s*\(|$)/s.exec(message)?.[1] ?? '';
    return [...list.matchAll(/'([^']+)'/g)].map((m) => declarationOf(m[1]!, source));
  }
}

/** Where `EXTERNAL name(` is declared: the file (in a story of several) and line. */
function declarationOf(name: string, source: string | InkFiles): UnboundExternal {
  const declaration = new RegExp(`^\\s*EXTERNAL\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\(`);
  const files = typeof source === 'string' ? { '': source } : source.files;
  for (const [file, text] of Object.entries(files)) {
    const line = text.split('\n').findIndex((l) => declaration.test(l)) + 1;
    if (line > 0) return { name, line, ...(file ? { file } : {}) };
  }
  return { name, line: 0 };
}

function runOpening(compiledJson: string, writableVariables: WritableVariable[]): InkDiagnostic[] {
  try {
    const runtime = new InkStoryRuntime({ storyId: 'compile-check', hash: 'compile-check', compiledJson, writableVariables });
    runtime.start();
    return cardConditionErrors(runtime);
  } catch (err) {
    return [{ line: 0, severity: 'error', message: `The story compiles but its opening fails: ${err instanceof Error ? err.message : String(err)}` }];
  }
}

/** A `# when:` on a card knot must parse and name only the story's variables, knots and stitches. */
function cardConditionErrors(runtime: InkStoryRuntime): InkDiagnostic[] {
  const errors: InkDiagnostic[] = [];
  for (const card of runtime.cards) {
    if (!card.when) continue;
    const problem = (message: string) => errors.push({ line: 0, severity: 'error', message: `card "${card.name}": # when: ${message}` });
    try {
      for (const unknown of unknownNames(parseCondition(card.when), runtime)) problem(unknown.message);
    } catch (err) {
      problem(err instanceof ConditionError ? err.message : String(err));
    }
  }
  return errors;
}

/** Compile ink source in-process; never throws for bad ink, returns the diagnostics instead. */
export function compileInk(source: string | InkFiles): CompileOutput {
  return finishCompile(compileRaw(source), source);
}

/**
 * Turn what inkjs said ({@link compileRaw}, here or in a worker thread) into a CompileOutput: the
 * diagnostics as `{line, message}`, the global tags, the writable variables, and a check that the
 * opening runs.
 */
export function finishCompile(raw: RawCompile, source: string | InkFiles): CompileOutput {
  const multi = typeof source !== 'string';
  const all = uniqueDiagnostics([
    // ErrorType: 0 author (TODO), 1 warning, 2 error.
    ...raw.reported.map((r) => parseDiagnostic(r.message, r.type === 2 ? 'error' : 'warning', multi)),
    ...raw.errors.map((e) => parseDiagnostic(e, 'error', multi)),
    ...raw.warnings.map((w) => parseDiagnostic(w, 'warning', multi)),
  ]);
  const errors = all.filter((d) => d.severity === 'error');
  if (raw.json === null || errors.length > 0) {
    return { ok: false, errors: errors.length > 0 ? errors : [{ line: 0, severity: 'error', message: 'Compilation failed' }] };
  }
  const story = new Story(raw.json);
  const tags = readGlobalTags(story);
  const writable = resolveWritable(story, raw.json, tags.writable, errors);
  if (errors.length > 0) return { ok: false, errors };
  const compiledJson = raw.json;
  const unbound = unboundExternals(compiledJson, source);
  if (unbound.length > 0) {
    const errors = unbound.map(({ name, line, file }) => ({ ...(file ? { file } : {}), line, severity: 'error' as const, message: `EXTERNAL ${name}() has no ink fallback: define === function ${name}(…) === in the story` }));
    return { ok: false, errors, unboundExternals: unbound };
  }
  // Compiling is not enough: an endless loop only shows when the story runs. Run the opening
  // once, so such a story is refused now and not when a player starts it.
  const smoke = runOpening(compiledJson, writable);
  if (smoke.length > 0) return { ok: false, errors: smoke };
  return {
    ok: true,
    compiledJson,
    hash: createHash('sha256').update(compiledJson).digest('hex').slice(0, 32),
    title: tags.title,
    writableVariables: writable,
    warnings: all.filter((d) => d.severity === 'warning'),
  };
}
