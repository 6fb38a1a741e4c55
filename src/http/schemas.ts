/**
 * zod schemas of the HTTP API; the OpenAPI document is generated from these.
 * @module
 */
import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'turn_in_progress' }),
      message: z.string(),
      details: z.unknown().optional(),
      request_id: z.string().optional(),
    }),
  })
  .openapi('Error');

export const ChoiceSchema = z.object({ index: z.number().int(), text: z.string() }).openapi('Choice');
const VariableValue = z.union([z.string(), z.number(), z.boolean()]);

export const StoryStateSchema = z
  .object({
    text: z.string(),
    tags: z.array(z.string()),
    choices: z.array(ChoiceSchema),
    ended: z.boolean(),
    variables: z.record(z.string(), VariableValue),
  })
  .openapi('StoryState');

export const DecisionSchema = z
  .object({
    choice_index: z.number().int().nullable(),
    variable_updates: z.array(z.object({ name: z.string(), value: VariableValue })),
    memories: z.array(z.object({ text: z.string(), importance: z.number().int() })),
    summary: z.string(),
  })
  .openapi('Decision');

export const ActionKindSchema = z.enum(['do', 'say', 'story', 'continue']).openapi('ActionKind');

export const TurnSchema = z
  .object({
    session_id: z.string(),
    turn_no: z.number().int(),
    task_id: z.string().nullable(),
    input: z.string(),
    action: ActionKindSchema,
    response: z.string().openapi({ description: 'The narration of this turn' }),
    decision: DecisionSchema,
    updated_state: StoryStateSchema,
    timings: z.record(z.string(), z.number()).openapi({ description: 'Milliseconds per pipeline stage' }),
    usage: z
      .object({
        calls: z.array(
          z.object({
            role: z.enum(['narrator', 'judge', 'judge-repair', 'judge-fallback']),
            modelId: z.string(),
            inputTokens: z.number().optional(),
            outputTokens: z.number().optional(),
            cachedInputTokens: z.number().optional(),
            costUsd: z.number().optional(),
          }),
        ),
        inputTokens: z.number(),
        outputTokens: z.number(),
        costUsd: z.number(),
        judgeRepaired: z.boolean(),
        judgeFellBack: z.boolean(),
      })
      .nullable()
      .openapi({ description: 'Model calls of the turn, tokens and cost; null for the opening' }),
    created_at: z.string(),
  })
  .openapi('Turn');

export const StorySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    owner_id: z.string().nullable(),
    version: z.string(),
    created_at: z.string(),
    source: z.string().optional(),
  })
  .openapi('Story');

export const SessionSchema = z
  .object({
    session_id: z.string(),
    story_id: z.string(),
    story_version: z.string(),
    turn_no: z.number().int(),
    status: z.enum(['active', 'ended']),
    text: z.string(),
    tags: z.array(z.string()),
    choices: z.array(ChoiceSchema),
    ended: z.boolean(),
    variables: z.record(z.string(), VariableValue),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Session');

export const TaskStatusSchema = z
  .object({
    task_id: z.string(),
    session_id: z.string(),
    status: z.enum(['queued', 'processing', 'retrying', 'completed', 'failed']),
    attempts: z.number().int(),
    result: z.union([TurnSchema, ErrorSchema.shape.error, z.null()]),
  })
  .openapi('TaskStatus');

export const IdParamSchema = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** Error responses every authenticated route can return. */
export const commonErrors = {
  400: jsonContent(ErrorSchema, 'Malformed request'),
  401: jsonContent(ErrorSchema, 'Missing or invalid token'),
  413: jsonContent(ErrorSchema, 'Body too large'),
};
