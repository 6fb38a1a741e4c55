import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../app-context.js';
import { commonErrors, ErrorSchema, jsonContent } from '../schemas.js';

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

const ClaimSchema = z
  .object({
    guest_user_id: z.string(),
    moved: z.boolean().openapi({ description: 'False when you had claimed this guest before: nothing moved this time' }),
    sessions: z.number().int().openapi({ description: 'Sessions now yours (on a repeat: what the first claim moved)' }),
    stories: z.number().int(),
    api_keys: z.number().int(),
    claimed_at: z.string(),
  })
  .openapi('GuestClaim');

const claimRoute = createRoute({
  method: 'post',
  path: '/api/auth/claim',
  tags: ['auth'],
  summary: "Keep what you played as a guest: the guest's sessions, stories and API keys move to your account",
  description:
    'Signed in with an account (not a guest token, not an API key). Claiming the same guest again moves nothing and answers as the first claim did; a guest another account claimed is 409.',
  request: { body: { content: { 'application/json': { schema: z.object({ guest_token: z.string().min(1).max(4096) }) } }, required: true } },
  responses: {
    200: jsonContent(ClaimSchema, 'Claimed (or claimed before by you)'),
    400: jsonContent(ErrorSchema, 'Not a valid guest token of this server (`guest_token_invalid`), or a malformed body'),
    403: jsonContent(ErrorSchema, 'The caller is a guest or an API key, or the guest is suspended'),
    409: jsonContent(ErrorSchema, 'Another account claimed this guest (`guest_claimed`)'),
    401: commonErrors[401],
    413: commonErrors[413],
  },
});

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.openapi(configRoute, (c) => c.json(deps.authConfig ?? { guests: true, supabase: null }, 200));
  app.openapi(guestRoute, async (c) => {
    const { token, userId, expiresAt } = await deps.auth.issueGuest();
    return c.json({ token, user_id: userId, expires_at: expiresAt }, 200);
  });
  const accounts = deps.accounts?.claims;
  if (accounts) {
    app.openapi(claimRoute, async (c) => {
      const principal = c.get('principal');
      const { guest_token: guestToken } = c.req.valid('json');
      const kind = principal.source === 'guest' ? 'guest' : principal.source === 'api-key' ? 'api-key' : 'account';
      const claim = await accounts.claimGuest({ userId: principal.userId, kind }, () => deps.auth.verifyGuest(guestToken));
      c.header('Cache-Control', 'no-store');
      return c.json(
        { guest_user_id: claim.guestId, moved: claim.moved, sessions: claim.counts.sessions, stories: claim.counts.stories, api_keys: claim.counts.apiKeys, claimed_at: claim.claimedAt.toISOString() },
        200,
      );
    });
  }
}
