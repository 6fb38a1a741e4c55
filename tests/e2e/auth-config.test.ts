/**
 * GET /api/auth/config: what a client needs to offer the right sign-in (no auth needed).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { startFakeIdp, type FakeIdp } from '../support/jwt-issuer.js';

const base = { LOG_LEVEL: 'silent', DATA_DIR: ':memory:', STORIES_DIR: 'tests/fixtures', PORT: '0', HOST: '127.0.0.1' };
const servers: RunningServer[] = [];
let idp: FakeIdp | undefined;
afterAll(async () => {
  for (const s of servers) await s.shutdown();
  await idp?.close();
});

describe('GET /api/auth/config', () => {
  it('without Supabase: guests on, no project', async () => {
    const server = await startServer(loadEnv(base), silentLogger());
    servers.push(server);
    const res = await fetch(`${server.url}/api/auth/config`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ guests: true, supabase: null });
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(doc.paths).toHaveProperty('/api/auth/config');
  });

  it('with SUPABASE_URL and SUPABASE_ANON_KEY: guests off, the project and its OAuth providers', async () => {
    idp = await startFakeIdp();
    const server = await startServer(
      loadEnv({ ...base, SUPABASE_URL: idp.url, SUPABASE_ANON_KEY: 'anon-public-key', SUPABASE_JWT_SECRET: 'supabase-secret-supabase-secret-supabase-0123', SUPABASE_OAUTH_PROVIDERS: 'github, google' }),
      silentLogger(),
    );
    servers.push(server);
    const res = await fetch(`${server.url}/api/auth/config`);
    expect(await res.json()).toEqual({ guests: false, supabase: { url: idp.url, anon_key: 'anon-public-key', oauth_providers: ['github', 'google'] } });
    expect((await fetch(`${server.url}/api/auth/guest`, { method: 'POST' })).status).toBe(403);
  });
});
