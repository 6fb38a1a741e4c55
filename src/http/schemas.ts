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

export const ChoiceSchema = z
  .object({ index: z.number().int(), text: z.string(), tags: z.array(z.string()).openapi({ description: "The choice's ink tags, e.g. `sound: creak`" }) })
  .openapi('Choice');
const VariableValue = z.union([z.string(), z.number(), z.boolean()]);

export const MediaSchema = z
  .object({
    kind: z.enum(['image', 'audio', 'cover']),
    name: z.string(),
    url: z.string().openapi({ description: 'GET it with the session’s token: `/api/sessions/{id}/assets/{name}`' }),
  })
  .openapi('Media');

/** Where the story stands: in StoryState and, in the same order, in a session. */
const storyStateFields = {
  text: z.string(),
  tags: z.array(z.string()),
  media: z.array(MediaSchema).optional().openapi({ description: 'The passage’s `# image:` and `# audio:` tags as URLs (absent when it has none)' }),
  choices: z.array(ChoiceSchema),
  ended: z.boolean(),
  variables: z.record(z.string(), VariableValue),
  position: z.string().optional().openapi({ description: 'Where the story stands, as a knot or knot.stitch: where the offered choices are written, or where it ended' }),
};

export const StoryStateSchema = z.object(storyStateFields).openapi('StoryState');

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
    user_id: z.string().nullable().openapi({ description: 'Who acted (in a shared session, which player); null on the opening' }),
    response: z.string().openapi({ description: 'The narration of this turn (as the player edited it, if they did)' }),
    edited: z.boolean().openapi({ description: 'The player edited the narration (PATCH …/turns/{n})' }),
    original_narration: z.string().nullable().openapi({ description: 'The narration as the model wrote it, when edited; else null' }),
    decision: DecisionSchema,
    updated_state: StoryStateSchema,
    timings: z.record(z.string(), z.number()).openapi({ description: 'Milliseconds per pipeline stage' }),
    usage: z
      .object({
        calls: z.array(
          z.object({
            role: z.enum(['narrator', 'judge', 'judge-repair', 'judge-fallback']),
            byok: z.literal(true).optional().openapi({ description: "The call ran on the player's own provider key" }),
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
        byok: z.literal(true).optional().openapi({ description: "Some call ran on the player's own provider key (PUT /api/me/provider-keys)" }),
        byokTokens: z.number().optional().openapi({ description: "Tokens of the calls on the player's own key: the daily token budget leaves them out" }),
      })
      .nullable()
      .openapi({ description: 'Model calls of the turn, tokens and cost; null for the opening' }),
    trace_id: z.string().nullable().openapi({ description: 'OpenTelemetry trace id of the turn; null when tracing is off' }),
    state: z.enum(['active', 'undone', 'replaced', 'discarded']).openapi({
      description: 'active: on the timeline; undone: waits for a redo; replaced: an earlier take of a retried turn; discarded: undone, then overwritten by a new action',
    }),
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
    visibility: z.enum(['private', 'public']).openapi({ description: 'private: only its owner (and admins) can see and play it' }),
    hidden: z.boolean().optional().openapi({ description: 'Hidden by a moderator; shown to the owner and admins only' }),
    created_at: z.string(),
    cover_url: z.string().optional().openapi({ description: 'The asset the story’s `# cover:` tag names (absent: none)' }),
    source: z.string().optional(),
    files: z.record(z.string(), z.string()).optional().openapi({ description: 'A story of several files: every file (with `source`)' }),
    main: z.string().optional().openapi({ description: 'Which of `files` is compiled' }),
    asset_warnings: z
      .array(z.string())
      .optional()
      .openapi({ description: 'In the answer to an upload or a new version: each `# image:`, `# audio:` or `# cover:` tag that names an asset the story does not have yet (upload it with POST …/assets)' }),
  })
  .openapi('Story');

export const PersonaSchema = z
  .object({
    name: z.string().openapi({ description: 'At most 2,000 characters' }),
    description: z.string().openapi({ description: 'At most 2,000 characters' }),
  })
  .openapi('Persona');

export const SessionSchema = z
  .object({
    session_id: z.string(),
    story_id: z.string(),
    story_version: z.string(),
    turn_no: z.number().int(),
    status: z.enum(['active', 'ended']),
    ...storyStateFields,
    redo_available: z.boolean().openapi({ description: 'An undone turn can be redone (POST …/redo)' }),
    forked_from: z.string().nullable().openapi({ description: 'The session this one was forked from' }),
    forked_at_turn: z.number().int().nullable().openapi({ description: 'The turn of that session it was copied at' }),
    author_note: z.string().nullable().openapi({ description: "The player's author's note: placed a few entries before the end of the narrator's context every turn" }),
    persona: PersonaSchema.nullable().openapi({ description: 'Who the player is in this story, for the narrator' }),
    instructions: z.string().nullable().openapi({ description: "The player's own instructions for the narrator (below the rules and the story's guidance)" }),
    turn_mode: z.enum(['free', 'round', 'vote']).nullable().openapi({ description: 'Who acts when in a shared session; null for a session nobody joined (one player: a second action while a turn runs is 409)' }),
    round: z
      .object({ user_id: z.string(), since: z.string() })
      .nullable()
      .openapi({ description: 'Round mode: whose turn it is, since when (their time runs from the later of this and the last turn\'s end)' }),
    vote_deadline_at: z.string().nullable().openapi({ description: 'Vote mode: when the open vote closes (null when none is open)' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Session');

/** Where a task stands (the queue's TaskState). */
export const TaskStateSchema = z.enum(['queued', 'processing', 'retrying', 'completed', 'failed']);

export const TaskStatusSchema = z
  .object({
    task_id: z.string(),
    session_id: z.string(),
    status: TaskStateSchema,
    attempts: z.number().int(),
    result: z.union([TurnSchema, ErrorSchema.shape.error, z.null()]),
    position: z.number().int().min(1).optional().openapi({ description: "A shared session's waiting action: its 1-based place in line" }),
  })
  .openapi('TaskStatus');

export const IdParamSchema = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** Error responses every authenticated route can return. */
/** A refusal by the per-user and per-address request limits (RATE_LIMIT_*): `rate_limited`, with `Retry-After`. */
export const rateLimited = (what: string) => jsonContent(ErrorSchema, `Too many ${what} (rate_limited, with a Retry-After header)`);

export const commonErrors = {
  400: jsonContent(ErrorSchema, 'Malformed request'),
  401: jsonContent(ErrorSchema, 'Missing or invalid token'),
  413: jsonContent(ErrorSchema, 'Body too large'),
};
