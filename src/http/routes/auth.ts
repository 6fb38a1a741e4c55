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

const AuthConfigSchema = z
  .object({
    guests: z.boolean().openapi({ description: 'Whether POST /api/auth/guest issues tokens' }),
    supabase: z
      .object({
        url: z.string().openapi({ description: 'SUPABASE_URL, for supabase-js' }),
        anon_key: z.string().openapi({ description: "The project's public anon key (SUPABASE_ANON_KEY)" }),
        oauth_providers: z.array(z.string()).openapi({ description: 'OAuth providers to offer (SUPABASE_OAUTH_PROVIDERS)' }),
      })
      .nullable()
      .openapi({ description: 'The Supabase project to sign in with; null when accounts are not configured' }),
  })
  .openapi('AuthConfig');

const configRoute = createRoute({
  method: 'get',
  path: '/api/auth/config',
  tags: ['auth'],
  summary: 'How clients sign in: guests on or off, and the Supabase project (no auth needed)',
  responses: { 200: jsonContent(AuthConfigSchema, 'Sign-in options') },
});

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(configRoute, (c) => c.json(deps.authConfig ?? { guests: true, supabase: null }, 200));
  app.openapi(guestRoute, async (c) => {
    const { token, userId, expiresAt } = await deps.auth.issueGuest();
    return c.json({ token, user_id: userId, expires_at: expiresAt }, 200);
  });
}
