import type { Story } from 'inkjs/compiler/Compiler';
import type { VariableType, VariableValue } from '../../domain/types.js';

// ink's runtime ValueType enum (inkjs engine/Value): Bool -1, Int 0, Float 1, List 2, String 3.
const VALUE_TYPES: Record<number, VariableType> = { [-1]: 'bool', 0: 'int', 1: 'float', 3: 'string' };

/**
 * Names of the story's global variables. inkjs offers no public iterator over them, so they are
 * read from the compiled JSON, where each declaration is a `{"VAR=": name}` assignment.
 */
export function declaredVariableNames(compiledJson: string): string[] {
  const names = new Set<string>();
  for (const m of compiledJson.matchAll(/\{"VAR=":"([^"]+)"/g)) if (m[1]) names.add(m[1]);
  return [...names];
}

/** The ink type of a global variable, or null for lists, divert targets and unknown names. */
export function variableTypeOf(story: Story, name: string): VariableType | null {
  const value = story.variablesState.GetVariableWithName(name) as { valueType?: number } | null;
  if (!value || typeof value.valueType !== 'number') return null;
  return VALUE_TYPES[value.valueType] ?? null;
}

/** Current values of the named variables that hold plain values (lists are skipped). */
export function readVariables(story: Story, names: readonly string[]): Record<string, VariableValue> {
  const out: Record<string, VariableValue> = {};
  for (const name of names) {
    const v = story.variablesState.$(name);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[name] = v;
  }
  return out;
}
