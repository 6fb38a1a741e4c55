/**
 * `/api/me/provider-keys`: a player's own OpenAI / Anthropic / OpenAI-compatible key, sealed at
 * rest (AES-256-GCM under PROVIDER_KEY_SECRET) and used only for their turns. The key is never
 * returned, only a masked hint. Without PROVIDER_KEY_SECRET every route answers 501.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { KeyProvider, SealedProviderKey } from '../../domain/ports/settings-store.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, jsonContent } from '../schemas.js';

const API_PROVIDERS = ['openai', 'anthropic', 'openai-compatible'] as const;
type ApiProvider = (typeof API_PROVIDERS)[number];
const toStored = (p: ApiProvider): KeyProvider => (p === 'openai-compatible' ? 'compat' : p);
const toApiProvider = (p: KeyProvider): ApiProvider => (p === 'compat' ? 'openai-compatible' : p);

const ProviderKeySchema = z
  .object({
    provider: z.enum(API_PROVIDERS),
    hint: z.string().openapi({ description: 'The key masked: its first three and last four characters' }),
    base_url: z.string().nullable().openapi({ description: 'The OpenAI-compatible server (openai-compatible only)' }),
    created_at: z.string(),
  })
  .openapi('ProviderKey');

const ProviderParam = z.object({ provider: z.enum(API_PROVIDERS).openapi({ param: { name: 'provider', in: 'path' } }) });
const disabled = { 501: jsonContent(ErrorSchema, '`provider_keys_disabled`: the server has no PROVIDER_KEY_SECRET') };

const listRoute = createRoute({
  method: 'get',
  path: '/api/me/provider-keys',
  tags: ['settings'],
  summary: 'Your own provider keys, masked (never the key)',
  responses: { 200: jsonContent(z.object({ keys: z.array(ProviderKeySchema) }), 'Your keys'), ...disabled, ...commonErrors },
});

const putRoute = createRoute({
  method: 'put',
  path: '/api/me/provider-keys/{provider}',
  tags: ['settings'],
  summary: 'Store (or replace) your own key for a provider: your turns on that provider’s models use it, and their usage is marked `byok`',
  request: {
    params: ProviderParam,
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              api_key: z.string().trim().min(8).max(1000).regex(/^\S+$/, 'no spaces').openapi({ description: 'The key; stored sealed, never shown again' }),
              // https only: the server calls this URL on the player's behalf, and a plain-http one is
              // most often a host on the server's own network (which a player has no business reaching).
              base_url: z.url({ protocol: /^https$/ }).max(500).optional().openapi({ description: 'openai-compatible: the server’s base URL, https (e.g. https://openrouter.ai/api/v1)' }),
            })
            .strict(),
        },
      },
      required: true,
    },
  },
  responses: { 200: jsonContent(ProviderKeySchema, 'Stored'), ...disabled, ...commonErrors, 400: jsonContent(ErrorSchema, 'Malformed, or base_url missing for openai-compatible') },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/me/provider-keys/{provider}',
  tags: ['settings'],
  summary: 'Remove your key for a provider; your next turn uses the server’s',
  request: { params: ProviderParam },
  responses: { 204: { description: 'Removed' }, 404: jsonContent(ErrorSchema, 'No key for this provider'), ...disabled, ...commonErrors },
});

function toApi(k: SealedProviderKey) {
  return { provider: toApiProvider(k.provider), hint: k.hint, base_url: k.baseUrl, created_at: k.createdAt.toISOString() };
}

export function registerProviderKeyRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const settings = deps.settings;
  if (!settings) return;

  app.openapi(listRoute, async (c) => c.json({ keys: (await settings.listKeys(c.get('userId'))).map(toApi) }, 200));

  app.openapi(putRoute, async (c) => {
    const body = c.req.valid('json');
    const key = await settings.putKey(c.get('userId'), toStored(c.req.valid('param').provider), { apiKey: body.api_key, ...(body.base_url ? { baseUrl: body.base_url } : {}) });
    c.header('Cache-Control', 'no-store');
    return c.json(toApi(key), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    await settings.deleteKey(c.get('userId'), toStored(c.req.valid('param').provider));
    return c.body(null, 204);
  });
}
