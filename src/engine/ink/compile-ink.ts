/**
 * Compiling ink source at run time. inkjs throws a bare "Compilation failed." and keeps the
 * real diagnostics in `compiler.errors`; this turns them into `{line, message}` items. The
 * compiler call itself is in compile-raw.mjs, so a worker thread can run it (compile-pool.ts).
 * @module
 */
import { createHash } from 'node:crypto';
import { Story } from 'inkjs/compiler/Compiler';
import type { CompileOutput } from '../../domain/ports/story-engine.js';
import { compileRaw, type RawCompile } from './compile-raw.mjs';
import type { InkDiagnostic, VariableType, WritableVariable } from '../../domain/types.js';
import { readGlobalTags } from './global-tags.js';
import { InkStoryRuntime } from './ink-story-runtime.js';
import { declaredVariableNames, variableTypeOf } from './ink-variables.js';

const DIAGNOSTIC = /^(ERROR|WARNING|TODO|RUNTIME ERROR|RUNTIME WARNING)?:?\s*(?:'[^']*'\s*)?(?:line (\d+):)?\s*(.*)$/s;

/** Parse one inkjs diagnostic string ("ERROR: line 4: Expected …"). */
export function parseDiagnostic(raw: string, fallback: InkDiagnostic['severity']): InkDiagnostic {
  const m = DIAGNOSTIC.exec(raw.trim());
  const kind = m?.[1] ?? '';
  const severity = kind.includes('ERROR') ? 'error' : kind ? 'warning' : fallback;
  return { line: m?.[2] ? Number(m[2]) : 0, message: (m?.[3] ?? raw).trim(), severity };
}

function uniqueDiagnostics(items: InkDiagnostic[]): InkDiagnostic[] {
  const seen = new Set<string>();
  return items
    .filter((d) => {
      const key = `${d.severity}:${d.line}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line);
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

function runOpening(compiledJson: string, writableVariables: WritableVariable[]): InkDiagnostic | null {
  try {
    new InkStoryRuntime({ storyId: 'compile-check', hash: 'compile-check', compiledJson, writableVariables }).start();
    return null;
  } catch (err) {
    return { line: 0, severity: 'error', message: `The story compiles but its opening fails: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Compile ink source in-process; never throws for bad ink, returns the diagnostics instead. */
export function compileInk(source: string): CompileOutput {
  return finishCompile(compileRaw(source));
}

/**
 * Turn what inkjs said ({@link compileRaw}, here or in a worker thread) into a CompileOutput: the
 * diagnostics as `{line, message}`, the global tags, the writable variables, and a check that the
 * opening runs.
 */
export function finishCompile(raw: RawCompile): CompileOutput {
  const all = uniqueDiagnostics([
    // ErrorType: 0 author (TODO), 1 warning, 2 error.
    ...raw.reported.map((r) => parseDiagnostic(r.message, r.type === 2 ? 'error' : 'warning')),
    ...raw.errors.map((e) => parseDiagnostic(e, 'error')),
    ...raw.warnings.map((w) => parseDiagnostic(w, 'warning')),
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
  // Compiling is not enough: an unbound EXTERNAL or an endless loop only shows when the story
  // runs. Run the opening once, so such a story is refused now and not when a player starts it.
  const smoke = runOpening(compiledJson, writable);
  if (smoke) return { ok: false, errors: [smoke] };
  return {
    ok: true,
    compiledJson,
    hash: createHash('sha256').update(compiledJson).digest('hex').slice(0, 32),
    title: tags.title,
    writableVariables: writable,
    warnings: all.filter((d) => d.severity === 'warning'),
  };
}
