/**
 * The judge's decision: a base schema (the shape any judge must return, also sent to models as
 * the structured-output schema) and a story-specific check that only offered choices and
 * declared writable variables of the declared type get through.
 * @module
 */
import { z } from 'zod';
import { DramaError } from './errors.js';
import type { Choice, Decision, VariableValue, WritableVariable } from './types.js';

export const MAX_MEMORIES_PER_TURN = 5;
export const MAX_MEMORY_CHARS = 500;
export const MAX_SUMMARY_CHARS = 1000;

/** The shape of a decision, independent of any story. Strict-mode friendly (no records). */
export const decisionSchema = z.object({
  choiceIndex: z.number().int().nullable().describe('Index of the offered choice the player took, or null if none'),
  variableUpdates: z
    .array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) }))
    .describe('Story variables that change; only writable ones'),
  memories: z
    .array(z.object({ text: z.string().min(1).max(MAX_MEMORY_CHARS), importance: z.number().int().min(1).max(10) }))
    .max(MAX_MEMORIES_PER_TURN)
    .describe('Facts worth remembering, importance 1-10'),
  summary: z.string().max(MAX_SUMMARY_CHARS).describe('One sentence: what happened this turn'),
});

export type RawDecision = z.infer<typeof decisionSchema>;

function typeMatches(type: WritableVariable['type'], value: VariableValue): boolean {
  switch (type) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
  }
}

/**
 * Validate a judge's raw output against what the story offers right now.
 * @throws DramaError `judge_invalid_decision` with the list of problems in `details`.
 */
export function validateDecision(raw: unknown, offered: readonly Choice[], writable: readonly WritableVariable[]): Decision {
  const parsed = decisionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DramaError('judge_invalid_decision', 'The judge returned a decision of the wrong shape', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const problems: { path: string; message: string }[] = [];
  const d = parsed.data;
  if (d.choiceIndex !== null && !offered.some((c) => c.index === d.choiceIndex)) {
    problems.push({ path: 'choiceIndex', message: `choice ${d.choiceIndex} is not on offer (offered: ${offered.map((c) => c.index).join(', ') || 'none'})` });
  }
  const seen = new Set<string>();
  d.variableUpdates.forEach((u, i) => {
    const spec = writable.find((w) => w.name === u.name);
    if (!spec) problems.push({ path: `variableUpdates.${i}.name`, message: `variable "${u.name}" is not writable in this story` });
    else if (!typeMatches(spec.type, u.value)) problems.push({ path: `variableUpdates.${i}.value`, message: `variable "${u.name}" is ${spec.type}, got ${JSON.stringify(u.value)}` });
    if (seen.has(u.name)) problems.push({ path: `variableUpdates.${i}.name`, message: `variable "${u.name}" updated twice` });
    seen.add(u.name);
  });
  if (problems.length > 0) {
    throw new DramaError('judge_invalid_decision', 'The judge chose something the story does not allow', { details: problems });
  }
  return {
    choiceIndex: d.choiceIndex,
    variableUpdates: d.variableUpdates,
    memories: d.memories.map((m) => ({ text: m.text.trim(), importance: m.importance })).filter((m) => m.text.length > 0),
    summary: d.summary,
  };
}
