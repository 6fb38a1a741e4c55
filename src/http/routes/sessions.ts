import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent, PersonaSchema, SessionSchema, StoryStateSchema, TurnSchema } from '../schemas.js';
import { toApiChoices, toApiSession, toApiTurn, withMedia } from '../wire.js';

const createRouteDef = createRoute({
  method: 'post',
  path: '/api/sessions',
  tags: ['sessions'],
  summary: 'Start a session on a story; runs the opening (turn 0)',
  request: { body: { content: { 'application/json': { schema: z.object({ story_id: z.string().min(1).max(100) }) } }, required: true } },
  responses: {
    201: jsonContent(z.object({ session_id: z.string(), turn_no: z.number().int(), opening: StoryStateSchema }), 'Session started'),
    403: jsonContent(ErrorSchema, 'A quota is full, or a moderator hid the story (story_hidden)'),
    404: jsonContent(ErrorSchema, 'Unknown story'),
    ...commonErrors,
  },
});

const getRouteDef = createRoute({
  method: 'get',
  path: '/api/sessions/{id}',
  tags: ['sessions'],
  summary: 'A session: turn number, status, the ink text and choices on offer, variables',
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(SessionSchema, 'The session'), 404: jsonContent(ErrorSchema, 'Unknown session'), ...commonErrors },
});

const turnsRouteDef = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/turns',
  tags: ['sessions'],
  summary: 'The transcript, oldest first, paged by turn number',
  request: {
    params: IdParamSchema,
    query: z.object({
      after: z.coerce.number().int().min(-1).optional().openapi({ description: 'Return turns with turn_no greater than this' }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      include: z.enum(['active', 'all']).default('active').openapi({
        description: '`all` adds undone, replaced and discarded turns (each with its `state`), ordered by turn number then creation; `limit` then counts turn numbers',
      }),
    }),
  },
  responses: {
    200: jsonContent(z.object({ turns: z.array(TurnSchema), next_after: z.number().int().nullable() }), 'A page of turns'),
    404: jsonContent(ErrorSchema, 'Unknown session'),
    ...commonErrors,
  },
});

const UsageSchema = z
  .object({
    turns: z.number().int(),
    tokens: z.number().int(),
    costUsd: z.number(),
    byokTokens: z.number().int().openapi({ description: "Of `tokens`, those spent on the player's own provider keys (not counted against the daily budget)" }),
  })
  .openapi('UsageTotals');

const traceRouteDef = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/turns/{n}/trace',
  tags: ['sessions'],
  summary: 'What the models were sent and answered for a turn: retrieved memories, calls, raw judge answers',
  request: { params: z.object({ id: z.string().min(1).max(100), n: z.coerce.number().int().min(0) }) },
  responses: { 200: jsonContent(z.object({ trace: z.unknown() }), 'The trace'), 404: jsonContent(ErrorSchema, 'Unknown session or turn'), ...commonErrors },
});

const usageRouteDef = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/usage',
  tags: ['sessions'],
  summary: "Tokens and cost of a session's turns",
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(z.object({ session: UsageSchema }), 'Totals'), 404: jsonContent(ErrorSchema, 'Unknown session'), ...commonErrors },
});

const myUsageRouteDef = createRoute({
  method: 'get',
  path: '/api/me/usage',
  tags: ['sessions'],
  summary: 'Your tokens and cost: today (UTC) and overall, with the daily budget (0 = none)',
  responses: { 200: jsonContent(z.object({ today: UsageSchema, total: UsageSchema, daily_token_budget: z.number().int() }), 'Totals'), ...commonErrors },
});

const steeringBody = z
  .object({
    author_note: z.string().nullable().optional().openapi({ description: 'Direction for the narrator, a few entries before the end of its context, every turn until changed; null or "" clears it' }),
    persona: PersonaSchema.nullable().optional().openapi({ description: 'Who the player is; null clears it' }),
    instructions: z.string().nullable().optional().openapi({ description: 'Standing instructions for the narrator, below the rules and the story\'s guidance; null or "" clears them' }),
    turn_mode: z
      .enum(['free', 'round', 'vote'])
      .optional()
      .openapi({ description: 'Who acts when in a shared session (the owner only): free (queued in arrival order), round (join order, ROUND_TIMEOUT_S each), vote (VOTE_WINDOW_S windows). Actions still waiting are dropped.' }),
  })
  .openapi('SessionPatch');

const patchRouteDef = createRoute({
  method: 'patch',
  path: '/api/sessions/{id}',
  tags: ['sessions'],
  summary: "Steer the session's narrator (author's note, persona, instructions) and set its turn mode",
  description: 'Fields left out stay as they are. They apply from the next turn and show in the context viewer (`GET …/turns/{n}/trace`).',
  request: { params: IdParamSchema, body: { content: { 'application/json': { schema: steeringBody } }, required: true } },
  responses: {
    200: jsonContent(SessionSchema, 'The session with its steering'),
    ...commonErrors,
    404: jsonContent(ErrorSchema, 'Unknown session'),
    413: jsonContent(ErrorSchema, 'A field is over 2,000 characters, or the body over MAX_BODY_BYTES (payload_too_large; details names the field)'),
  },
});

export function registerSessionRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(createRouteDef, async (c) => {
    // Someone else's private story is not found; a hidden one takes no new sessions (story-access.ts).
    const { session, opening } = await deps.service.startSession(c.get('userId'), c.req.valid('json').story_id, c.get('principal'));
    return c.json({ session_id: session.id, turn_no: 0, opening: { ...opening.updated_state, choices: toApiChoices(opening.updated_state.choices), ...withMedia(session.id, opening.updated_state.tags) } }, 201);
  });

  app.openapi(getRouteDef, async (c) => {
    // Its owner and its members (a shared session) may read it.
    const session = await deps.service.members.view(c.get('userId'), c.req.valid('param').id);
    return c.json(toApiSession(session), 200);
  });

  app.openapi(patchRouteDef, async (c) => {
    const body = c.req.valid('json');
    const [userId, id] = [c.get('userId'), c.req.valid('param').id];
    const steering = {
      ...(body.author_note !== undefined ? { authorNote: body.author_note } : {}),
      ...(body.persona !== undefined ? { persona: body.persona } : {}),
      ...(body.instructions !== undefined ? { instructions: body.instructions } : {}),
    };
    // Steering first: a field too long refuses the whole request before the mode changes.
    let session = Object.keys(steering).length > 0 || body.turn_mode === undefined ? await deps.service.steerSession(userId, id, steering) : null;
    if (body.turn_mode !== undefined) session = await deps.service.setTurnMode(userId, id, body.turn_mode);
    return c.json(toApiSession(session!), 200);
  });

  app.openapi(traceRouteDef, async (c) => {
    const { id, n } = c.req.valid('param');
    return c.json({ trace: await deps.service.trace(c.get('userId'), id, n) }, 200);
  });

  app.openapi(usageRouteDef, async (c) => {
    const usage = (await deps.service.usage(c.get('userId'), c.req.valid('param').id)) as { session: z.infer<typeof UsageSchema> };
    return c.json(usage, 200);
  });

  app.openapi(myUsageRouteDef, async (c) => {
    const usage = (await deps.service.usage(c.get('userId'))) as { today: z.infer<typeof UsageSchema>; total: z.infer<typeof UsageSchema>; daily_token_budget: number };
    return c.json(usage, 200);
  });

  app.openapi(turnsRouteDef, async (c) => {
    const { after, limit, include } = c.req.valid('query');
    const turns = await deps.service.listTurns(c.get('userId'), c.req.valid('param').id, { afterTurnNo: after, limit, include });
    const last = turns.at(-1);
    const turnNumbers = new Set(turns.map((t) => t.turnNo)).size;
    return c.json({ turns: turns.map(toApiTurn), next_after: turnNumbers === limit && last ? last.turnNo : null }, 200);
  });
}
