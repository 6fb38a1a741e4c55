/**
 * Export and import of whole sessions: `GET /api/sessions/:id/export` (a versioned JSON document,
 * or `?format=markdown` for a readable transcript) and `POST /api/sessions/import` (a new session
 * of the caller's). Format and checks: domain/session-document.ts and domain/session-import.ts.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { DramaError } from '../../domain/errors.js';
import { SessionDocumentSchema } from '../../domain/session-document.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { errorBody } from '../errors.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent, SessionSchema } from '../schemas.js';
import { toApiSession } from '../wire.js';

// Rebuilt with the extended z: the domain's schema may be created before zod-openapi extends zod.
const SessionDocumentWire = z.object(SessionDocumentSchema.shape).openapi('SessionDocument', {
  description:
    'A session as `mock-drama.session` version 1: the story (id, version hash, number, title, optionally its source), the session, every turn with its timeline state and ink state, memories and session cards (text only; an import embeds them again). `integrity.digest` is the SHA-256 of the canonical JSON (sorted keys, no spaces) of the document without `exported_at` and `integrity`.',
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/export',
  tags: ['sessions'],
  summary: 'The session as a document to import elsewhere (JSON), or as a readable transcript (Markdown)',
  request: {
    params: IdParamSchema,
    query: z.object({
      format: z.enum(['json', 'markdown']).default('json').openapi({ description: '`markdown`: the transcript of the timeline, as a file download' }),
      include: z.enum(['source']).optional().openapi({ description: '`source` embeds the story’s ink source, so the document imports where the story is not available' }),
    }),
  },
  responses: {
    200: {
      description: 'The document (Content-Disposition: attachment)',
      content: { 'application/json': { schema: SessionDocumentWire }, 'text/markdown': { schema: z.string() } },
    },
    404: jsonContent(ErrorSchema, 'Unknown session'),
    ...commonErrors,
    400: jsonContent(ErrorSchema, 'Malformed request, or `include=source` for a session on an older version of its story (its source is not kept)'),
  },
});

const importRoute = createRoute({
  method: 'post',
  path: '/api/sessions/import',
  tags: ['sessions'],
  summary: 'A new session of yours from an exported document',
  description:
    'The story must be one you can see with the document’s version, or the document embeds its source (then it is installed as a new private story of yours). The document is checked whole (shape, integrity digest, a timeline whose turn numbers run from 0 to the session’s turn, ink states that load in the story version) before anything is written, and the session is written in one transaction. Body limit: `SESSION_IMPORT_MAX_BYTES`.',
  request: { body: { content: { 'application/json': { schema: SessionDocumentWire } }, required: true } },
  responses: {
    201: jsonContent(z.object({ session_id: z.string(), session: SessionSchema }), 'Imported'),
    ...commonErrors,
    403: jsonContent(ErrorSchema, 'The session (or story) quota is full, or a moderator hid the story (story_hidden)'),
    413: jsonContent(ErrorSchema, 'The document is over SESSION_IMPORT_MAX_BYTES'),
    422: jsonContent(ErrorSchema, 'Not a document this server imports (session_import_invalid, each problem in details: shape, digest, timeline, ink state, story)'),
  },
});

/** A file name for the download: the story title's letters and digits. */
function fileName(title: string, ext: string): string {
  const base = title.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'session';
  return `${base}.${ext}`;
}

export function registerSessionTransferRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const transfer = deps.service.transfer;

  app.openapi(exportRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { format, include } = c.req.valid('query');
    const userId = c.get('userId');
    if (format === 'markdown') {
      const { title, markdown } = await transfer.exportMarkdown(userId, id);
      return c.body(markdown, 200, { 'Content-Type': 'text/markdown; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName(title, 'md')}"` }) as never;
    }
    const doc = await transfer.exportSession(userId, id, { includeSource: include === 'source' });
    c.header('Content-Disposition', `attachment; filename="${fileName(doc.story.title, 'session.json')}"`);
    return c.json(doc, 200);
  });

  app.openapi(
    importRoute,
    async (c) => {
      const session = await transfer.importSession(c.get('userId'), c.req.valid('json'));
      c.get('logger').info({ audit: 'session.imported', sessionId: session.id }, 'session imported');
      return c.json({ session_id: session.id, session: toApiSession(session) }, 201);
    },
    // A document of the wrong shape is unprocessable (422, each problem named), not a malformed request.
    (result, c) => {
      if (result.success) return;
      const details = result.error.issues.slice(0, 50).map((i) => ({ path: i.path.join('.') || '(document)', message: i.message }));
      const err = new DramaError('session_import_invalid', `Not a session document this server reads: ${details.map((d) => d.path).join(', ')}`, { details });
      return c.json(errorBody(err, c.get('requestId')), 422);
    },
  );
}
