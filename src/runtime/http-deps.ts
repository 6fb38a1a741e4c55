/**
 * What the HTTP app gets from a runtime: tokens and API keys, limits, the admin pages and
 * metrics. One place, so a listening server and the in-process app of the route tests
 * (src/http/routes/__fixtures__/test-app.ts) are wired alike.
 * @module
 */
import type { Env } from '../config/env.js';
import type { HttpDeps } from '../http/app-context.js';
import { createAdminStats } from '../observability/admin-stats.js';
import { httpMetrics } from '../observability/http-metrics.js';
import { traceRequests } from '../observability/trace-http.js';
import type { Logger } from '../shared/log.js';
import { parseTrustProxy } from '../shared/trust-proxy.js';
import { createAccounts } from './create-accounts.js';
import { createAssets } from './create-assets.js';
import { createAuth, guestAuthEnabled } from './create-auth.js';
import type { Runtime } from './create-runtime.js';

export interface HttpDepsOptions {
  /** True once shutdown began. */
  isDraining(): boolean;
  /** The built web client (web/dist) to serve at `/`. */
  webClientDir?: string;
}

export function createHttpDeps(env: Env, runtime: Runtime, logger: Logger, options: HttpDepsOptions): HttpDeps {
  // Tokens and API keys, with suspended accounts refused (http/auth/account-auth.ts).
  const { auth, accounts } = createAccounts(env, runtime, createAuth(env, logger), logger);
  return {
    service: runtime.service,
    settings: runtime.settings,
    assets: createAssets(env, runtime.service),
    bus: runtime.deps.bus,
    auth,
    authConfig: {
      guests: guestAuthEnabled(env),
      supabase: env.SUPABASE_URL && env.SUPABASE_ANON_KEY ? { url: env.SUPABASE_URL, anon_key: env.SUPABASE_ANON_KEY, oauth_providers: env.SUPABASE_OAUTH_PROVIDERS } : null,
    },
    accounts,
    logger,
    limits: { maxBodyBytes: env.MAX_BODY_BYTES, maxInkSourceBytes: env.MAX_INK_SOURCE_BYTES, maxImportBytes: env.IMPORT_MAX_BYTES, maxSessionImportBytes: env.SESSION_IMPORT_MAX_BYTES, maxAssetBytes: env.ASSET_MAX_BYTES, maxReplayTurns: env.REPLAY_MAX_TURNS },
    rateLimiter: runtime.transport.rateLimiter,
    socketSlots: runtime.transport.socketSlots,
    security: {
      actionsPerMinute: env.RATE_LIMIT_ACTIONS_PER_MINUTE,
      actionsPerMinutePerIp: env.RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP,
      uploadsPerHour: env.RATE_LIMIT_UPLOADS_PER_HOUR,
      uploadsPerHourPerIp: env.RATE_LIMIT_UPLOADS_PER_HOUR_PER_IP,
      sharedPerMinutePerIp: env.RATE_LIMIT_SHARED_PER_MINUTE_PER_IP,
      maxSocketsPerUser: env.MAX_SOCKETS_PER_USER,
      streamRecheckMs: env.STREAM_RECHECK_MS,
      corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
    },
    checkReady: () => runtime.ready(),
    isDraining: options.isDraining,
    admin: { token: env.ADMIN_TOKEN, dashboard: runtime.transport.adminDashboard, stats: createAdminStats({ store: runtime.deps.store, queue: runtime.queue, clock: runtime.deps.clock, metrics: runtime.metrics }) },
    metrics: httpMetrics(runtime.metrics, env.METRICS_TOKEN),
    ...(runtime.tracing.enabled ? { traceRequests: traceRequests(runtime.tracing.tracer) } : {}),
    ...(options.webClientDir ? { webClientDir: options.webClientDir } : {}),
  };
}
