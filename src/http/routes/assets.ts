/**
 * Story assets: the owner uploads images and audio (`POST /api/stories/:id/assets`, a form with a
 * `file` and an optional `name`), lists and deletes them; whoever may see the story reads them at
 * `/api/stories/:id/assets/:name`, and players read them through their session at
 * `/api/sessions/:id/assets/:name` (what `# image:` / `# audio:` tags resolve to). See
 * domain/asset-service.ts.
 * @module
 */
import { createRoute, z, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AssetBody } from '../../domain/asset-service.js';
import { storyAssetUrl } from '../../domain/asset-service.js';
import { DramaError } from '../../domain/errors.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent, rateLimited } from '../schemas.js';

const NameParam = z.object({
  id: IdParamSchema.shape.id,
  name: z.string().min(1).max(100).openapi({ param: { name: 'name', in: 'path' }, description: 'The asset’s name, e.g. `harbour.webp`' }),
});

const AssetSchema = z.object({ name: z.string(), size: z.number().int(), url: z.string().openapi({ description: 'Where to read it (the story’s access rules apply)' }) }).openapi('Asset');
const binary = { type: 'string', format: 'binary' } as const;
const uploadBody: NonNullable<NonNullable<RouteConfig['request']>['body']> = {
  required: true,
  description: 'A form: `file` (up to `ASSET_MAX_BYTES`, default 10 MB) and an optional `name` (default: the file’s own name). The type is told from the bytes: png, jpeg, webp, gif, mp3, ogg, wav.',
  content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: binary, name: { type: 'string' } }, required: ['file'] } } },
};
const media = (kind: string) => ({ description: `The ${kind}`, content: Object.fromEntries(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'audio/mpeg', 'audio/ogg', 'audio/wav'].map((t) => [t, { schema: binary }])) });
const notFound = jsonContent(ErrorSchema, 'Unknown story or asset (or a private story of someone else)');

const uploadRoute = createRoute({
  method: 'post',
  path: '/api/stories/{id}/assets',
  tags: ['assets'],
  summary: 'Upload an image or a sound for the story (owner); the same name replaces it',
  request: { params: IdParamSchema, body: uploadBody },
  responses: {
    201: jsonContent(z.object({ asset: AssetSchema.extend({ type: z.string() }), warnings: z.array(z.string()).openapi({ description: 'Media tags of the story that name an asset that does not exist' }) }), 'Stored'),
    ...commonErrors,
    403: jsonContent(ErrorSchema, 'Not your story, or your assets’ storage quota (`ASSET_QUOTA_BYTES`) is full'),
    404: notFound,
    413: jsonContent(ErrorSchema, 'Over `ASSET_MAX_BYTES`'),
    415: jsonContent(ErrorSchema, 'Not png, jpeg, webp, gif, mp3, ogg or wav'),
    429: rateLimited('uploads'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/stories/{id}/assets',
  tags: ['assets'],
  summary: 'The story’s assets, by name',
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(z.object({ assets: z.array(AssetSchema), warnings: z.array(z.string()).openapi({ description: 'Media tags of the story that name an asset that does not exist' }) }), 'Assets'), 404: notFound, ...commonErrors },
});

const readRoute = createRoute({
  method: 'get',
  path: '/api/stories/{id}/assets/{name}',
  tags: ['assets'],
  summary: 'An asset’s bytes (anyone who may see the story), with ETag and Cache-Control',
  request: { params: NameParam },
  responses: { 200: media('asset'), 304: { description: 'Not modified (If-None-Match)' }, 404: notFound, ...commonErrors },
});

const sessionReadRoute = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/assets/{name}',
  tags: ['assets'],
  summary: 'An asset of the session’s story, for its players: what `# image:` and `# audio:` tags resolve to',
  request: { params: NameParam },
  responses: { 200: media('asset'), 304: { description: 'Not modified (If-None-Match)' }, 404: jsonContent(ErrorSchema, 'Unknown session or asset'), ...commonErrors },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/stories/{id}/assets/{name}',
  tags: ['assets'],
  summary: 'Delete an asset (owner)',
  request: { params: NameParam },
  responses: { 204: { description: 'Deleted' }, 403: jsonContent(ErrorSchema, 'Not your story'), 404: notFound, ...commonErrors },
});

/** The form's file and the name to keep it under. */
async function uploadedAsset(c: Context<AppEnv>): Promise<{ name: string; bytes: Uint8Array }> {
  if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) throw new DramaError('bad_request', 'send a multipart/form-data body with a `file` field', { details: [{ path: 'file', message: 'required' }] });
  const form = await c.req.formData().catch(() => {
    throw new DramaError('bad_request', 'the multipart body cannot be read', { details: [{ path: 'file', message: 'unreadable form' }] });
  });
  const file = form.get('file');
  if (file === null || typeof file === 'string') throw new DramaError('bad_request', 'the form has no `file` field', { details: [{ path: 'file', message: 'required' }] });
  const given = form.get('name');
  const name = typeof given === 'string' && given.length > 0 ? given : file.name;
  return { name: name.normalize('NFC'), bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** The bytes with an ETag; private stories' assets are for this user's cache only. */
function sendAsset(c: Context<AppEnv>, asset: AssetBody): Response {
  const etag = `"${asset.etag}"`;
  const headers = { ETag: etag, 'Cache-Control': asset.public ? 'public, max-age=3600' : 'private, max-age=300', 'X-Content-Type-Options': 'nosniff', Vary: 'Authorization' };
  const match = c.req.header('if-none-match');
  if (match && match.split(',').some((m) => m.trim().replace(/^W\//, '') === etag)) return new Response(null, { status: 304, headers });
  return new Response(asset.bytes, { status: 200, headers: { ...headers, 'Content-Type': asset.type, 'Content-Length': String(asset.bytes.length) } });
}

export function registerAssetRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const assets = deps.assets;
  if (!assets) return;
  app.openapi(uploadRoute, async (c) => {
    const id = c.req.valid('param').id;
    const { name, bytes } = await uploadedAsset(c);
    const { asset, warnings } = await assets.upload(c.get('principal'), id, name, bytes);
    return c.json({ asset: { name: asset.name, size: asset.size, type: asset.type, url: storyAssetUrl(id, asset.name) }, warnings }, 201);
  });
  app.openapi(listRoute, async (c) => {
    const id = c.req.valid('param').id;
    const { assets: list, warnings } = await assets.list(c.get('principal'), id);
    return c.json({ assets: list.map((a) => ({ ...a, url: storyAssetUrl(id, a.name) })), warnings }, 200);
  });
  app.openapi(readRoute, async (c) => {
    const { id, name } = c.req.valid('param');
    return sendAsset(c, await assets.read(c.get('principal'), id, name)) as never;
  });
  app.openapi(sessionReadRoute, async (c) => {
    const { id, name } = c.req.valid('param');
    return sendAsset(c, await assets.readForSession(c.get('userId'), id, name)) as never;
  });
  app.openapi(deleteRoute, async (c) => {
    const { id, name } = c.req.valid('param');
    await assets.remove(c.get('principal'), id, name);
    return c.body(null, 204);
  });
}
