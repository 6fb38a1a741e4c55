import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { DramaError } from '../../domain/errors.js';
import { seesModeration } from '../../domain/story-access.js';
import type { InkFiles } from '../../domain/types.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, rateLimited, ErrorSchema, IdParamSchema, jsonContent, StorySchema } from '../schemas.js';
import { assetWarnings, toApiStory } from '../wire.js';

const listQuery = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Only stories whose title contains this (case-insensitive; any script, e.g. 雾)' }),
  scope: z.enum(['all', 'mine', 'public']).optional().openapi({ description: '`mine`: your own only; `public`: public ones only (yours among them); default both' }),
  sort: z.enum(['oldest', 'newest', 'title', 'played']).optional().openapi({ description: 'Default `oldest`; `played`: most sessions started first' }),
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ description: 'A page of this many (absent: every story)' }),
  cursor: z.string().regex(/^[0-9]{1,9}$/).optional().openapi({ description: '`next_cursor` of the previous page' }),
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/stories',
  tags: ['stories'],
  summary: 'Stories you can play: your own, and public ones (the shipped stories among them); search, sort and pages',
  request: { query: listQuery },
  responses: {
    200: jsonContent(
      z.object({
        stories: z.array(StorySchema),
        next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page (or without `limit`)' }),
      }),
      'Stories',
    ),
    ...commonErrors,
  },
});

const deleteStoryRoute = createRoute({
  method: 'delete',
  path: '/api/stories/{id}',
  tags: ['stories'],
  summary: 'Delete your story (an admin: anyone’s). Played by no session: removed. Played: retired — gone from listings and lookups, its sessions play on',
  request: { params: IdParamSchema },
  responses: {
    200: jsonContent(
      z.object({
        removed: z.boolean().openapi({ description: 'true: deleted with its versions and cards; false: retired because sessions play it' }),
        sessions: z.number().int().openapi({ description: 'Sessions (anyone’s) on the story' }),
      }),
      'Deleted',
    ),
    403: jsonContent(ErrorSchema, 'Not your story, or a shipped story'),
    404: jsonContent(ErrorSchema, 'Unknown story'),
    ...commonErrors,
  },
});

/** The ink of an upload: one `source`, or `files` and the `main` one (also PUT …/source). */
export const storySourceFields = {
  source: z.string().min(1).optional().openapi({ description: 'ink source, one file (or give `files` and `main`)' }),
  files: z
    .record(z.string(), z.string())
    .optional()
    .openapi({ description: 'A story of several ink files by name, `{"main.ink": "…", "ch1.ink": "…"}`: INCLUDE names them; at most 64' }),
  main: z.string().optional().openapi({ description: 'Which of `files` is compiled (default `main.ink`, or the only file)' }),
};

/** Exactly one of `source` and `files`. */
export const oneSource: [(b: { source?: string; files?: Record<string, string> }) => boolean, { message: string; path: string[] }] = [
  (b) => (b.source === undefined) !== (b.files === undefined),
  { message: 'give either source or files', path: ['source'] },
];

const createStoryBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    ...storySourceFields,
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional(),
    visibility: z.enum(['private', 'public']).optional().openapi({ description: 'Default private: only you can see and play it' }),
  })
  .refine(...oneSource);

/** The upload as the domain takes it (one source, or files with the one to compile), within the size limit. */
export function inkSource(body: { source?: string; files?: Record<string, string>; main?: string }, maxBytes: number): string | InkFiles {
  let source: string | InkFiles;
  if (body.source !== undefined) source = body.source;
  else {
    const files = body.files ?? {};
    const names = Object.keys(files);
    source = { main: body.main ?? (names.length === 1 ? names[0]! : 'main.ink'), files };
  }
  const bytes = typeof source === 'string' ? Buffer.byteLength(source) : Object.values(source.files).reduce((n, text) => n + Buffer.byteLength(text), 0);
  if (bytes > maxBytes) throw new DramaError('payload_too_large', `ink source is over ${maxBytes} bytes`);
  return source;
}

const createStoryRoute = createRoute({
  method: 'post',
  path: '/api/stories',
  tags: ['stories'],
  summary: 'Upload an ink story; it is compiled on the server',
  request: { body: { content: { 'application/json': { schema: createStoryBody } }, required: true } },
  responses: {
    201: jsonContent(StorySchema, 'Compiled and stored'),
    422: jsonContent(
      ErrorSchema,
      'Compile errors (ink_compile_error: details is a list of {file?, line, message}), an EXTERNAL function the story calls with no ink fallback (ink_unbound_external: details is a list of {function, file?, line}), or the compile took too long (compile_timeout)',
    ),
    429: rateLimited('uploads'),
    ...commonErrors,
  },
});

const getStoryRoute = createRoute({
  method: 'get',
  path: '/api/stories/{id}',
  tags: ['stories'],
  summary: 'One story, with its ink source',
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(StorySchema, 'The story'), 404: jsonContent(ErrorSchema, 'Unknown story'), ...commonErrors },
});

const patchStoryBody = z
  .object({
    visibility: z.enum(['private', 'public']).optional(),
    title: z.string().trim().min(1).max(200).optional(),
  })
  .openapi('StoryPatch');

const patchStoryRoute = createRoute({
  method: 'patch',
  path: '/api/stories/{id}',
  tags: ['stories'],
  summary: 'Make your story public or private, or rename it',
  request: { params: IdParamSchema, body: { content: { 'application/json': { schema: patchStoryBody } }, required: true } },
  responses: {
    200: jsonContent(StorySchema, 'The changed story'),
    403: jsonContent(ErrorSchema, 'Not your story'),
    404: jsonContent(ErrorSchema, 'Unknown story'),
    ...commonErrors,
  },
});

function slugify(title: string): string {
  const ascii = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return `${ascii || 'story'}-${Date.now().toString(36)}`;
}

export function registerStoryRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(listRoute, async (c) => {
    const viewer = c.get('principal');
    const { cursor, limit, ...query } = c.req.valid('query');
    const offset = cursor ? Number(cursor) : 0;
    // One more than asked tells whether another page follows.
    const page = limit === undefined ? {} : { limit: limit + 1, offset };
    const found = await deps.service.listStories(viewer.userId, { ...query, ...page });
    const stories = limit === undefined ? found : found.slice(0, limit);
    const next = limit !== undefined && found.length > limit ? String(offset + limit) : null;
    return c.json({ stories: stories.map((s) => toApiStory(s, false, seesModeration(s, viewer))), next_cursor: next }, 200);
  });

  app.openapi(deleteStoryRoute, async (c) => {
    const id = c.req.valid('param').id;
    const deletion = await deps.service.deleteStory(c.get('principal'), id);
    // Retired stories keep their files: sessions still play them.
    if (deletion.removed) await deps.assets?.removeAll(id);
    return c.json(deletion, 200);
  });

  app.openapi(createStoryRoute, async (c) => {
    const body = c.req.valid('json');
    const source = inkSource(body, deps.limits.maxInkSourceBytes);
    const story = await deps.service.installStory({
      source,
      title: body.title,
      slug: body.slug ?? slugify(body.title),
      ownerId: c.get('userId'),
      ...(body.visibility ? { visibility: body.visibility } : {}),
    });
    return c.json({ ...toApiStory(story, true, true), ...(await assetWarnings(deps, story)) }, 201);
  });

  app.openapi(getStoryRoute, async (c) => {
    const viewer = c.get('principal');
    // Someone else's private story looks exactly like an unknown id.
    const story = await deps.service.getVisibleStory(viewer, c.req.valid('param').id);
    return c.json(toApiStory(story, true, seesModeration(story, viewer)), 200);
  });

  app.openapi(patchStoryRoute, async (c) => {
    const story = await deps.service.updateStory(c.get('principal'), c.req.valid('param').id, c.req.valid('json'));
    return c.json(toApiStory(story, true, true), 200);
  });
}
