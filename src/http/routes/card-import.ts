/**
 * Lorebook import and export: `POST /api/{stories,sessions}/:id/cards/import` takes a SillyTavern,
 * NovelAI or AI Dungeon file (raw, or as the `file` field of a form) and answers what became a card
 * and what was skipped, and why; `GET /api/stories/:id/cards/export?format=sillytavern` writes the
 * story's cards as SillyTavern World Info. The body limit is `IMPORT_MAX_BYTES` (app.ts).
 * @module
 */
import { createRoute, z, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DramaError } from '../../domain/errors.js';
import { parseLorebook } from '../../memory/lorebook/parse-lorebook.js';
import { toWorldInfo } from '../../memory/lorebook/sillytavern-export.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent, rateLimited } from '../schemas.js';

const FORMATS = ['sillytavern_world_info', 'sillytavern_character_v1', 'sillytavern_character_v2', 'sillytavern_character_v3', 'novelai_lorebook', 'ai_dungeon_story_cards'] as const;

const ImportReportSchema = z
  .object({
    format: z.enum(FORMATS).openapi({ description: 'What the file was recognised as (from its content, never its name)' }),
    imported: z
      .array(z.object({ card_id: z.string(), name: z.string(), source: z.string().openapi({ description: 'Where in the file: `entries.3`, `data.description`, `data.character_book.entries.0`' }) }))
      .openapi({ description: 'The cards created, in the order they now have (a long text is split into several, named "… (1/2)")' }),
    skipped: z
      .array(z.object({ source: z.string(), name: z.string().optional(), reason: z.string() }))
      .openapi({ description: 'Entries not imported, and why (a feature cards cannot express, disabled, no text…)' }),
  })
  .openapi('LorebookImport');

const binary = { type: 'string', format: 'binary' } as const;
// Plain OpenAPI schemas, not zod: zod-openapi validates only zod bodies, and this one is read as bytes.
const importBody: NonNullable<NonNullable<RouteConfig['request']>['body']> = {
  required: true,
  description: 'The file itself, raw or as the `file` field of a form. Bounded by `IMPORT_MAX_BYTES` (default 8 MB).',
  content: {
    'multipart/form-data': { schema: { type: 'object', properties: { file: binary }, required: ['file'] } },
    'application/json': { schema: { description: 'SillyTavern World Info or character card, NovelAI lorebook (objects), or AI Dungeon story cards (an array)' } },
    'image/png': { schema: binary },
    'application/octet-stream': { schema: binary },
  },
};

type Owner = 'stories' | 'sessions';

function importRoute(owner: Owner) {
  return createRoute({
    method: 'post',
    path: `/api/${owner}/{id}/cards/import`,
    tags: ['cards'],
    summary: owner === 'stories' ? "Import a lorebook into the story's cards (owner)" : "Import a lorebook into the session's own cards",
    description:
      'Formats, told from the content: SillyTavern World Info JSON; SillyTavern character cards V2/V3 as JSON or PNG (`chara`/`ccv3` text chunk); NovelAI lorebooks; AI Dungeon story cards exports. All cards are created or none.',
    request: { params: IdParamSchema, body: importBody },
    responses: {
      200: jsonContent(ImportReportSchema, 'Imported; the report says what was skipped'),
      ...commonErrors,
      403: jsonContent(ErrorSchema, 'Not your story'),
      404: jsonContent(ErrorSchema, owner === 'stories' ? 'Unknown story' : 'Unknown session'),
      413: jsonContent(ErrorSchema, 'Body over `IMPORT_MAX_BYTES`, or more cards than a story or session holds (500, counting those already there): nothing imported'),
      422: jsonContent(ErrorSchema, '`lorebook_invalid` (a known format, broken: `details` is a list of {path, message}) or `lorebook_unknown_format`: nothing imported'),
      429: rateLimited('uploads (an import counts as one)'),
    },
  });
}

const WorldInfoSchema = z
  .object({ entries: z.record(z.string(), z.looseObject({ uid: z.number(), key: z.array(z.string()), comment: z.string(), content: z.string(), constant: z.boolean(), order: z.number() })) })
  .openapi('WorldInfo');

const exportRoute = createRoute({
  method: 'get',
  path: '/api/stories/{id}/cards/export',
  tags: ['cards'],
  summary: "The story's cards as a file another tool loads",
  description:
    '`format=sillytavern`: World Info JSON (SillyTavern\'s "Import World Info"), as an attachment. Cards written in the ink file are not included. A card\'s `when` condition is kept in `extensions.mock_drama.when`: SillyTavern ignores it, our import reads it back.',
  request: { params: IdParamSchema, query: z.object({ format: z.enum(['sillytavern']).default('sillytavern').openapi({ description: 'Only `sillytavern` so far' }) }) },
  responses: { 200: jsonContent(WorldInfoSchema, 'World Info'), 404: jsonContent(ErrorSchema, 'Unknown story'), ...commonErrors },
});

/** The uploaded file's bytes: the raw body, or the `file` field of a multipart form. */
async function uploadedFile(c: Context<AppEnv>): Promise<Uint8Array> {
  if (/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
    const form = await c.req.formData().catch(() => {
      throw new DramaError('bad_request', 'the multipart body cannot be read', { details: [{ path: 'file', message: 'unreadable form' }] });
    });
    const file = form.get('file');
    if (file === null) throw new DramaError('bad_request', 'the form has no `file` field', { details: [{ path: 'file', message: 'required' }] });
    return typeof file === 'string' ? new TextEncoder().encode(file) : new Uint8Array(await file.arrayBuffer());
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length === 0) throw new DramaError('bad_request', 'the body is empty: send the lorebook file', { details: [{ path: '(body)', message: 'empty' }] });
  return bytes;
}

export function registerCardImportRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const memory = deps.service.memory;
  for (const owner of ['stories', 'sessions'] as const) {
    app.openapi(importRoute(owner), async (c) => {
      const id = c.req.valid('param').id;
      const bytes = await uploadedFile(c);
      const scope = owner === 'stories' ? { storyId: id } : { sessionId: id };
      const { file, imported, skipped } = await memory.importCards(c.get('userId'), scope, () => parseLorebook(bytes));
      return c.json(
        {
          format: file.format,
          imported: imported.map(({ source, card }) => ({ card_id: card.id, name: card.name, source })),
          skipped: [...file.skipped, ...skipped],
        },
        200,
      );
    });
  }
  app.openapi(exportRoute, async (c) => {
    const id = c.req.valid('param').id;
    const viewer = c.get('principal');
    const { cards } = await memory.listCards(viewer, { storyId: id });
    const story = await deps.service.getVisibleStory(viewer, id);
    c.header('Content-Disposition', `attachment; filename="${story.slug.replace(/[^a-z0-9-]/gi, '') || 'story'}-lorebook.json"`);
    return c.json(toWorldInfo(cards), 200);
  });
}
