/**
 * Session memories under the player's control: list, search, add, edit, pin, delete; and
 * deleting a whole session. Edits take effect on the next turn.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { StoredMemory } from '../../domain/types.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent } from '../schemas.js';

const KindSchema = z.enum(['event', 'fact', 'summary', 'card']).openapi('MemoryKind');

export const MemorySchema = z
  .object({
    id: z.string(),
    session_id: z.string(),
    turn_no: z.number().int().openapi({ description: 'The turn the memory comes from' }),
    kind: KindSchema,
    text: z.string(),
    importance: z.number().int().min(1).max(10),
    pinned: z.boolean().openapi({ description: 'Pinned memories enter every turn’s context' }),
    score: z.number().optional().openapi({ description: 'Cosine similarity to `q`, when searching' }),
  })
  .openapi('Memory');

// Lengths are checked by the service (413 with the field named), like user_input; the body limit caps the rest.
const MemoryBody = z.object({
  text: z.string().openapi({ description: 'At most 2,000 characters' }),
  importance: z.number().int().min(1).max(10).optional().openapi({ description: '1 (trivial) to 10; default 5' }),
  kind: KindSchema.optional().openapi({ description: 'Default `fact`' }),
  pinned: z.boolean().optional(),
});
const MemoryParams = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }),
  memoryId: z.string().min(1).max(100).openapi({ param: { name: 'memoryId', in: 'path' } }),
});

export function toApiMemory(m: StoredMemory): z.infer<typeof MemorySchema> {
  return { id: m.id, session_id: m.sessionId, turn_no: m.turnNo, kind: m.kind, text: m.text, importance: m.importance, pinned: m.pinned ?? false, ...(m.score !== undefined ? { score: m.score } : {}) };
}

const listRoute = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/memories',
  tags: ['memories'],
  summary: "A session's memories, oldest first; with `q`, the most similar to `q` first",
  request: {
    params: IdParamSchema,
    query: z.object({
      q: z.string().max(100_000).optional(),
      kind: KindSchema.optional(),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
    }),
  },
  responses: { 200: jsonContent(z.object({ memories: z.array(MemorySchema) }), 'Memories'), 404: jsonContent(ErrorSchema, 'Unknown session'), ...commonErrors },
});

const addRoute = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/memories',
  tags: ['memories'],
  summary: 'Add a memory (it counts from the next turn)',
  request: { params: IdParamSchema, body: { content: { 'application/json': { schema: MemoryBody } }, required: true } },
  responses: {
    201: jsonContent(z.object({ id: z.string(), memory: MemorySchema }), 'Added'),
    404: jsonContent(ErrorSchema, 'Unknown session'),
    409: jsonContent(ErrorSchema, 'A summary for this turn already exists (turn_conflict)'),
    ...commonErrors,
  },
});

const editRoute = createRoute({
  method: 'patch',
  path: '/api/sessions/{id}/memories/{memoryId}',
  tags: ['memories'],
  summary: 'Edit a memory: text, importance, kind, or pin it (`pinned: true`)',
  request: { params: MemoryParams, body: { content: { 'application/json': { schema: MemoryBody.partial() } }, required: true } },
  responses: { 200: jsonContent(z.object({ memory: MemorySchema }), 'Edited'), 404: jsonContent(ErrorSchema, 'Unknown session or memory'), ...commonErrors },
});

const pinRoute = (method: 'put' | 'delete') =>
  createRoute({
    method,
    path: '/api/sessions/{id}/memories/{memoryId}/pin',
    tags: ['memories'],
    summary: method === 'put' ? 'Pin a memory: it enters every turn' : 'Unpin a memory',
    request: { params: MemoryParams },
    responses: { 200: jsonContent(z.object({ memory: MemorySchema }), 'Done'), 404: jsonContent(ErrorSchema, 'Unknown session or memory'), ...commonErrors },
  });

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/sessions/{id}/memories/{memoryId}',
  tags: ['memories'],
  summary: 'Delete a memory',
  request: { params: MemoryParams },
  responses: { 204: { description: 'Deleted' }, 404: jsonContent(ErrorSchema, 'Unknown session or memory'), ...commonErrors },
});

const deleteSessionRoute = createRoute({
  method: 'delete',
  path: '/api/sessions/{id}',
  tags: ['sessions'],
  summary: 'Delete a session with its turns, memories and cards',
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Deleted' }, 404: jsonContent(ErrorSchema, 'Unknown session'), ...commonErrors },
});

export function registerMemoryRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const memory = deps.service.memory;

  app.openapi(listRoute, async (c) => {
    const { q, kind, limit } = c.req.valid('query');
    const list = await memory.listMemories(c.get('userId'), c.req.valid('param').id, { ...(q !== undefined ? { query: q } : {}), ...(kind ? { kind } : {}), ...(limit ? { limit } : {}) });
    return c.json({ memories: list.map(toApiMemory) }, 200);
  });

  app.openapi(addRoute, async (c) => {
    const added = await memory.addMemory(c.get('userId'), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ id: added.id, memory: toApiMemory(added) }, 201);
  });

  app.openapi(editRoute, async (c) => {
    const { id, memoryId } = c.req.valid('param');
    return c.json({ memory: toApiMemory(await memory.updateMemory(c.get('userId'), id, memoryId, c.req.valid('json'))) }, 200);
  });

  for (const method of ['put', 'delete'] as const) {
    app.openapi(pinRoute(method), async (c) => {
      const { id, memoryId } = c.req.valid('param');
      return c.json({ memory: toApiMemory(await memory.updateMemory(c.get('userId'), id, memoryId, { pinned: method === 'put' })) }, 200);
    });
  }

  app.openapi(deleteRoute, async (c) => {
    const { id, memoryId } = c.req.valid('param');
    await memory.deleteMemory(c.get('userId'), id, memoryId);
    return c.body(null, 204);
  });

  app.openapi(deleteSessionRoute, async (c) => {
    await memory.deleteSession(c.get('userId'), c.req.valid('param').id, c.get('requestId'));
    return c.body(null, 204);
  });
}
