import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { ErrorSchema, jsonContent } from '../schemas.js';

const GuestSchema = z.object({ token: z.string(), user_id: z.string(), expires_at: z.string() }).openapi('GuestToken');

const guestRoute = createRoute({
  method: 'post',
  path: '/api/auth/guest',
  tags: ['auth'],
  summary: 'Create a guest user and return a bearer token for them',
  responses: {
    200: jsonContent(GuestSchema, 'A signed token (HS256 JWT, Supabase-shaped)'),
    403: jsonContent(ErrorSchema, 'Guest accounts are off (GUEST_AUTH=off, or an identity provider is configured)'),
  },
});

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(guestRoute, async (c) => {
    const { token, userId, expiresAt } = await deps.auth.issueGuest();
    return c.json({ token, user_id: userId, expires_at: expiresAt }, 200);
  });
}
