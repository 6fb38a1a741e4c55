/**
 * `/api/keys`: API keys for server-to-server clients. The key is in the creation response only;
 * listings show its first characters (`prefix`). See docs/security.md.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiKeyRecord } from '../../domain/ports/api-key-store.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent } from '../schemas.js';

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart' }),
    created_at: z.string(),
    last_used_at: z.string().nullable().openapi({ description: 'Recorded at most once a minute' }),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiKey');

const NewApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    key: z.string().openapi({ description: 'The key itself, shown only now: send it as `Authorization: Bearer <key>` or `X-API-Key: <key>`' }),
    created_at: z.string(),
  })
  .openapi('NewApiKey');

const createKeyRoute = createRoute({
  method: 'post',
  path: '/api/keys',
  tags: ['auth'],
  summary: 'Create an API key (not with an API key); the key is in this response only',
  request: { body: { content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(100) }) } }, required: true } },
  responses: {
    201: jsonContent(NewApiKeySchema, 'The new key'),
    403: jsonContent(ErrorSchema, 'Too many keys (details: {quota, limit, used}), or the caller used an API key'),
    ...commonErrors,
  },
});

const listKeysRoute = createRoute({
  method: 'get',
  path: '/api/keys',
  tags: ['auth'],
  summary: 'Your API keys, revoked ones included, newest first',
  responses: { 200: jsonContent(z.object({ keys: z.array(ApiKeySchema) }), 'Your keys'), ...commonErrors },
});

const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/api/keys/{id}',
  tags: ['auth'],
  summary: 'Revoke one of your API keys; it stops working at once',
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Revoked' }, 404: jsonContent(ErrorSchema, 'Unknown key'), ...commonErrors },
});

function toApiKey(k: ApiKeyRecord) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    created_at: k.createdAt.toISOString(),
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
  };
}

export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const keys = deps.accounts?.apiKeys;
  if (!keys) return;

  app.openapi(createKeyRoute, async (c) => {
    const principal = c.get('principal');
    const { record, key } = await keys.create(principal.userId, c.req.valid('json').name, principal.source === 'api-key', c.get('requestId'));
    c.header('Cache-Control', 'no-store');
    return c.json({ id: record.id, name: record.name, prefix: record.prefix, key, created_at: record.createdAt.toISOString() }, 201);
  });

  app.openapi(listKeysRoute, async (c) => {
    return c.json({ keys: (await keys.list(c.get('userId'))).map(toApiKey) }, 200);
  });

  app.openapi(revokeKeyRoute, async (c) => {
    await keys.revoke(c.get('userId'), c.req.valid('param').id, c.get('requestId'));
    return c.body(null, 204);
  });
}
