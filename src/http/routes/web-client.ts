/**
 * The web client (web/dist, built by Vite) served from the API's own origin: static files with
 * their content types, long-lived caching for content-hashed assets, and index.html for client
 * routes (`/play/…`) so a reload or a shared link opens the app. Registered last, and it never
 * answers for the server's own paths, so unknown API routes keep their JSON 404.
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-context.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Paths that belong to the server, never to the client app. */
const SERVER_PATHS = /^\/(api|ws|docs|admin)(\/|$)|^\/(openapi\.json|metrics|healthz|readyz)$/;

/** Vite puts content-hashed files under /assets: their URL changes with their content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** While `npm start` builds the client in the background (first start, or after its sources changed). */
const NOT_BUILT = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>mock-drama</title>
<p>The web client is being built (a few seconds on the first start); this page reloads by itself.</p>
<p>If it never appears, <code>npm run build:web</code> shows why. The API reference is at <a href="/docs">/docs</a>.</p>`;

async function readIfFile(path: string): Promise<Buffer | null> {
  try {
    return (await stat(path)).isFile() ? await readFile(path) : null;
  } catch {
    return null;
  }
}

export function registerWebClient(app: OpenAPIHono<AppEnv>, distDir: string): void {
  const root = normalize(distDir + sep);
  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const path = c.req.path;
    if (SERVER_PATHS.test(path)) return next();
    let relative: string;
    try {
      relative = decodeURIComponent(path);
    } catch {
      return next();
    }
    const file = normalize(join(root, relative));
    // `..` or an encoded separator must not leave the build directory.
    if (!file.startsWith(root)) return next();
    const ext = extname(file);
    const body = ext ? await readIfFile(file) : null;
    if (body) {
      c.header('Cache-Control', relative.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
      return c.body(new Uint8Array(body), 200, { 'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream' });
    }
    // A missing file with an extension is a 404; anything else is a client route.
    if (ext && ext !== '.html') return next();
    const index = await readIfFile(join(root, 'index.html'));
    c.header('Cache-Control', 'no-cache');
    return c.html(index ? index.toString('utf8') : NOT_BUILT, index ? 200 : 503);
  });
}
