/**
 * `GET /api/sessions`: the caller's sessions, for a "continue where you left off" list.
 * @module
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MemberRole, SessionRecord } from '../../domain/types.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, jsonContent } from '../schemas.js';

/** How much of the current scene a list entry carries. */
const PREVIEW_CHARS = 240;

const SessionSummarySchema = z
  .object({
    session_id: z.string(),
    story_id: z.string(),
    story_title: z.string().nullable().openapi({ description: 'null when the story is gone or no longer visible' }),
    turn_no: z.number().int(),
    status: z.enum(['active', 'ended']),
    preview: z.string().openapi({ description: 'The start of the current scene text' }),
    role: z.enum(['owner', 'player', 'spectator']).openapi({ description: 'Yours, or a shared session you joined as a player or spectator' }),
    created_at: z.string(),
    updated_at: z.string().openapi({ description: 'When the last turn was committed' }),
  })
  .openapi('SessionSummary');

const listRoute = createRoute({
  method: 'get',
  path: '/api/sessions',
  tags: ['sessions'],
  summary: 'Your sessions and the shared ones you joined, most recently played first',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      before: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Page on: `next_before` of the previous page' }),
    }),
  },
  responses: {
    200: jsonContent(z.object({ sessions: z.array(SessionSummarySchema), next_before: z.string().nullable() }), 'A page of sessions'),
    ...commonErrors,
  },
});

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= PREVIEW_CHARS ? flat : `${flat.slice(0, PREVIEW_CHARS - 1)}…`;
}

export function registerSessionListRoute(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(listRoute, async (c) => {
    const userId = c.get('userId');
    const { limit, before } = c.req.valid('query');
    const sessions = await deps.service.listSessions(userId, { limit, ...(before ? { before: new Date(before) } : {}) });
    const titles = new Map<string, string | null>();
    await Promise.all(
      [...new Set(sessions.map((s) => s.storyId))].map(async (id) => {
        // A story the caller can no longer see (made private, hidden) keeps its title to itself.
        titles.set(id, await deps.service.getVisibleStory(c.get('principal'), id).then((story) => story.title, () => null));
      }),
    );
    const summary = (s: SessionRecord & { memberRole: MemberRole | null }) => ({
      session_id: s.id,
      story_id: s.storyId,
      story_title: titles.get(s.storyId) ?? null,
      turn_no: s.turnNo,
      status: s.status,
      preview: preview(s.view.text),
      role: s.ownerId === userId ? ('owner' as const) : (s.memberRole ?? 'player'),
      created_at: s.createdAt.toISOString(),
      updated_at: s.updatedAt.toISOString(),
    });
    const last = sessions.at(-1);
    return c.json({ sessions: sessions.map(summary), next_before: sessions.length === limit && last ? last.updatedAt.toISOString() : null }, 200);
  });
}
