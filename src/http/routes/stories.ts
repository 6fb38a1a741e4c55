import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { DramaError } from '../../domain/errors.js';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, IdParamSchema, jsonContent, StorySchema } from '../schemas.js';
import { toApiStory } from '../wire.js';

const listRoute = createRoute({
  method: 'get',
  path: '/api/stories',
  tags: ['stories'],
  summary: 'Stories you can play: the shipped ones and your own',
  responses: { 200: jsonContent(z.object({ stories: z.array(StorySchema) }), 'Stories'), ...commonErrors },
});

const createStoryBody = z.object({
  title: z.string().trim().min(1).max(200),
  source: z.string().min(1).openapi({ description: 'ink source' }),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional(),
});

const createStoryRoute = createRoute({
  method: 'post',
  path: '/api/stories',
  tags: ['stories'],
  summary: 'Upload an ink story; it is compiled on the server',
  request: { body: { content: { 'application/json': { schema: createStoryBody } }, required: true } },
  responses: {
    201: jsonContent(StorySchema, 'Compiled and stored'),
    422: jsonContent(ErrorSchema, 'Compile errors: details is a list of {line, message}'),
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

function slugify(title: string): string {
  const ascii = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return `${ascii || 'story'}-${Date.now().toString(36)}`;
}

export function registerStoryRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(listRoute, async (c) => {
    const userId = c.get('userId');
    const stories = await deps.service.listStories(userId);
    return c.json({ stories: stories.map((s) => toApiStory(s)) }, 200);
  });

  app.openapi(createStoryRoute, async (c) => {
    const body = c.req.valid('json');
    if (Buffer.byteLength(body.source) > deps.limits.maxInkSourceBytes) {
      throw new DramaError('payload_too_large', `ink source is over ${deps.limits.maxInkSourceBytes} bytes`);
    }
    const story = await deps.service.installStory({ source: body.source, title: body.title, slug: body.slug ?? slugify(body.title), ownerId: c.get('userId') });
    return c.json(toApiStory(story, true), 201);
  });

  app.openapi(getStoryRoute, async (c) => {
    const story = await deps.service.getStory(c.req.valid('param').id);
    // Private stories are invisible to others: same answer as an unknown id.
    if (story.ownerId !== null && story.ownerId !== c.get('userId')) throw new DramaError('story_not_found', 'Story not found');
    return c.json(toApiStory(story, true), 200);
  });
}
