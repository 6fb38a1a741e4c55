/**
 * Story cards (lorebook): per story (`/api/stories/:id/cards`, written by the story's owner) and
 * per session (`/api/sessions/:id/cards`). Cards written in the ink file are listed read-only.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { CardScope } from '../../domain/ports/card-store.js';
import type { StoredCard } from '../../domain/types.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent } from '../schemas.js';

export const CardSchema = z
  .object({
    id: z.string(),
    story_id: z.string().nullable(),
    session_id: z.string().nullable(),
    name: z.string(),
    keywords: z.array(z.string()).openapi({ description: 'Plain keywords (case-insensitive) or `/regex/flags`' }),
    text: z.string(),
    when: z.string().max(500).nullable().openapi({ description: 'Active only while this holds: variables (`trust >= 3`, `met_keeper`), `visits("knot.stitch") > 0`, `turn`, with and/or/not; checked against the story (422 card_condition_invalid)' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Card');

const InkCardSchema = z.object({ name: z.string(), keywords: z.array(z.string()), text: z.string(), when: z.string().nullable() }).openapi('InkCard');

const CardFields = {
  name: z.string().openapi({ description: 'At most 400 characters' }),
  keywords: z.array(z.string()).openapi({ description: 'At most 32; each plain or `/regex/flags`' }),
  text: z.string().openapi({ description: 'At most 2,000 characters' }),
  when: z.string().max(500).nullable().optional().openapi({ description: 'Active only while this holds: variables (`trust >= 3`, `met_keeper`), `visits("knot.stitch") > 0`, `turn`, with and/or/not; checked against the story (422 card_condition_invalid)' }),
};
const CardBody = z.object({ ...CardFields, keywords: CardFields.keywords.default([]) });
// No default here: zod applies a default inside .partial() too, and an edit of the text alone would clear the keywords.
const CardPatch = z.object(CardFields).partial();

function toApiCard(c: StoredCard): z.infer<typeof CardSchema> {
  return { id: c.id, story_id: c.storyId, session_id: c.sessionId, name: c.name, keywords: c.keywords, text: c.text, when: c.when ?? null, created_at: c.createdAt.toISOString(), updated_at: c.updatedAt.toISOString() };
}

type Owner = 'stories' | 'sessions';
const scopeOf = (owner: Owner, id: string): CardScope => (owner === 'stories' ? { storyId: id } : { sessionId: id });
const CardParams = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }),
  cardId: z.string().min(1).max(100).openapi({ param: { name: 'cardId', in: 'path' } }),
});
const notFound = (owner: Owner) => jsonContent(ErrorSchema, owner === 'stories' ? 'Unknown story or card' : 'Unknown session or card');

function routes(owner: Owner) {
  const base = `/api/${owner}/{id}/cards`;
  const tags = ['cards'];
  return {
    list: createRoute({
      method: 'get',
      path: base,
      tags,
      summary: owner === 'stories' ? "A story's cards, and those written in its ink file" : "A session's own cards",
      request: { params: IdParamSchema },
      responses: { 200: jsonContent(z.object({ cards: z.array(CardSchema), ink_cards: z.array(InkCardSchema) }), 'Cards'), 404: notFound(owner), ...commonErrors },
    }),
    add: createRoute({
      method: 'post',
      path: base,
      tags,
      summary: 'Add a card (it counts from the next turn)',
      request: { params: IdParamSchema, body: { content: { 'application/json': { schema: CardBody } }, required: true } },
      responses: { 201: jsonContent(z.object({ id: z.string(), card: CardSchema }), 'Added'), 403: jsonContent(ErrorSchema, 'Not your story'), 404: notFound(owner), ...commonErrors },
    }),
    edit: createRoute({
      method: 'patch',
      path: `${base}/{cardId}`,
      tags,
      summary: 'Edit a card',
      request: { params: CardParams, body: { content: { 'application/json': { schema: CardPatch } }, required: true } },
      responses: { 200: jsonContent(z.object({ card: CardSchema }), 'Edited'), 403: jsonContent(ErrorSchema, 'Not your story'), 404: notFound(owner), ...commonErrors },
    }),
    remove: createRoute({
      method: 'delete',
      path: `${base}/{cardId}`,
      tags,
      summary: 'Delete a card',
      request: { params: CardParams },
      responses: { 204: { description: 'Deleted' }, 403: jsonContent(ErrorSchema, 'Not your story'), 404: notFound(owner), ...commonErrors },
    }),
  };
}

export function registerCardRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const memory = deps.service.memory;
  for (const owner of ['stories', 'sessions'] as const) {
    const r = routes(owner);
    app.openapi(r.list, async (c) => {
      const { cards, inkCards } = await memory.listCards(c.get('principal'), scopeOf(owner, c.req.valid('param').id));
      return c.json({ cards: cards.map(toApiCard), ink_cards: inkCards.map((k) => ({ name: k.name, keywords: k.keywords, text: k.text, when: k.when ?? null })) }, 200);
    });
    app.openapi(r.add, async (c) => {
      const card = await memory.addCard(c.get('userId'), scopeOf(owner, c.req.valid('param').id), c.req.valid('json'));
      return c.json({ id: card.id, card: toApiCard(card) }, 201);
    });
    app.openapi(r.edit, async (c) => {
      const { id, cardId } = c.req.valid('param');
      return c.json({ card: toApiCard(await memory.updateCard(c.get('userId'), scopeOf(owner, id), cardId, c.req.valid('json'))) }, 200);
    });
    app.openapi(r.remove, async (c) => {
      const { id, cardId } = c.req.valid('param');
      await memory.deleteCard(c.get('userId'), scopeOf(owner, id), cardId);
      return c.body(null, 204);
    });
  }
}
