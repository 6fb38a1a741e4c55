import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from '../app-context.js';
import { SessionEventSchema } from '../event-schemas.js';

const require = createRequire(import.meta.url);

/** The browser bundle is not in the package's exports map, so locate it beside the main entry. */
function standaloneBundlePath(): string {
  const entry = require.resolve('@scalar/api-reference');
  return join(entry.slice(0, entry.lastIndexOf(`${sep}dist${sep}`)), 'dist', 'browser', 'standalone.js');
}

/**
 * `/openapi.json` and `/docs`. Scalar's page loads its script from a CDN by default; we serve the
 * bundle from node_modules so the reference works offline and behind firewalls.
 */
export function registerDocsRoutes(app: OpenAPIHono<AppEnv>): void {
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'mock-drama API',
      version: '0.1.0',
      description: 'AI interactive fiction on authored ink stories. Authenticate with a bearer token from POST /api/auth/guest, or an API key (POST /api/keys).',
    },
    security: [{ bearerAuth: [] }, { apiKeyAuth: [] }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or md_… API key' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKeyAuth', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  // The event stream is not a REST route; registering its schema puts the event types in the document for SDKs.
  app.openAPIRegistry.register('SessionEvent', SessionEventSchema);
  let bundle: Promise<string> | null = null;
  app.get('/docs/scalar.js', async (c) => {
    bundle ??= readFile(standaloneBundlePath(), 'utf8');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(await bundle, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  app.get('/docs', Scalar({ url: '/openapi.json', cdn: '/docs/scalar.js', pageTitle: 'mock-drama API' }));
}
