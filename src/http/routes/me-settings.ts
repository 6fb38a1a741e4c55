/**
 * `/api/me/settings`: a player's narrator model (from the operator's ALLOWED_MODELS), temperature,
 * passage length and interface language, applied from their next turn on.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { UserSettings } from '../../domain/ports/settings-store.js';
import { PASSAGE_PRESETS, type SettingsService } from '../../domain/settings-service.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, jsonContent } from '../schemas.js';

const fields = {
  narrator_model: z.string().max(300).nullable().openapi({ description: 'A `provider:model` of `allowed_models`; null: the server’s narrator' }),
  temperature: z.number().min(0).max(2).nullable().openapi({ description: 'Narrator sampling temperature 0–2; null: the model’s default' }),
  passage_length: z.enum(['short', 'medium', 'long']).nullable().openapi({ description: 'short ≈ one paragraph, medium (default), long ≈ three or four paragraphs' }),
  language: z.enum(['en', 'zh']).nullable().openapi({ description: 'Interface language of the web client; null: the browser’s' }),
};

const SettingsSchema = z
  .object({
    ...fields,
    allowed_models: z.array(z.string()).openapi({ description: 'The narrator models this server offers (ALLOWED_MODELS)' }),
    passage_lengths: z.record(z.string(), z.object({ max_tokens: z.number().int() })).openapi({ description: 'What each passage length caps the narrator’s output at' }),
    provider_keys: z.boolean().openapi({ description: 'Whether this server stores players’ own provider keys (PROVIDER_KEY_SECRET set)' }),
  })
  .openapi('UserSettings');

const getRoute = createRoute({
  method: 'get',
  path: '/api/me/settings',
  tags: ['settings'],
  summary: 'Your settings, with the models you may choose from',
  responses: { 200: jsonContent(SettingsSchema, 'Your settings (null fields: the defaults)'), ...commonErrors },
});

const putRoute = createRoute({
  method: 'put',
  path: '/api/me/settings',
  tags: ['settings'],
  summary: 'Change your settings; a field left out keeps its value, null goes back to the default. Your next turn uses them',
  request: { body: { content: { 'application/json': { schema: z.object(fields).partial().strict().openapi('UserSettingsPut') } }, required: true } },
  responses: {
    200: jsonContent(SettingsSchema, 'The settings now'),
    ...commonErrors,
    400: jsonContent(ErrorSchema, 'Malformed, or `model_not_allowed`: the model is not in `allowed_models` (details: {allowed})'),
  },
});

function toApi(s: UserSettings, service: SettingsService) {
  return {
    narrator_model: s.narratorModel,
    temperature: s.temperature,
    passage_length: s.passageLength,
    language: s.language,
    allowed_models: [...service.allowedModels],
    passage_lengths: Object.fromEntries(Object.entries(PASSAGE_PRESETS).map(([name, p]) => [name, { max_tokens: p.maxOutputTokens }])),
    provider_keys: service.keysEnabled,
  };
}

export function registerSettingsRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const settings = deps.settings;
  if (!settings) return;

  app.openapi(getRoute, async (c) => c.json(toApi(await settings.get(c.get('userId')), settings), 200));

  app.openapi(putRoute, async (c) => {
    const userId = c.get('userId');
    const body = c.req.valid('json');
    const now = await settings.get(userId);
    const next: UserSettings = {
      narratorModel: body.narrator_model === undefined ? now.narratorModel : body.narrator_model,
      temperature: body.temperature === undefined ? now.temperature : body.temperature,
      passageLength: body.passage_length === undefined ? now.passageLength : body.passage_length,
      language: body.language === undefined ? now.language : body.language,
    };
    return c.json(toApi(await settings.put(userId, next), settings), 200);
  });
}
