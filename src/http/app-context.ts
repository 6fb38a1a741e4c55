import type { TrustProxy } from '../shared/trust-proxy.js';
import type { DramaService } from '../domain/drama-service.js';
import type { AssetService } from '../domain/asset-service.js';
import type { SettingsService } from '../domain/settings-service.js';
import type { EventBus } from '../domain/ports/event-bus.js';
import type { Logger } from '../shared/log.js';
import type { Hono, MiddlewareHandler } from 'hono';
import type { QueueCounts } from '../domain/ports/turn-queue.js';
import type { RateLimiter } from '../domain/ports/rate-limiter.js';
import type { SocketSlots } from '../domain/ports/socket-slots.js';
import type { AccountService } from '../domain/account-service.js';
import type { ApiKeyService } from '../domain/api-keys.js';
import type { ModerationService } from '../domain/moderation-service.js';
import type { Principal, TokenAuth } from './auth/token-auth.js';

/** What the HTTP layer needs; built by runtime/, so http/ never imports storage/. */
export interface HttpDeps {
  service: DramaService;
  /** Players' settings and provider keys (absent: `/api/me/settings` and `/api/me/provider-keys` are not served). */
  settings?: SettingsService;
  bus: EventBus;
  /** Story assets (absent: the asset routes are not served). */
  assets?: AssetService;
  auth: TokenAuth;
  /** What GET /api/auth/config tells clients: whether guests may sign in, and the Supabase project to sign in with. */
  authConfig?: AuthConfig;
  logger: Logger;
  limits: { maxBodyBytes: number; maxInkSourceBytes: number; /** A lorebook import's body (absent: `maxBodyBytes`). */ maxImportBytes?: number; /** A session import's body (absent: `maxBodyBytes`). */ maxSessionImportBytes?: number; /** An asset upload's file (absent: `maxBodyBytes`). */ maxAssetBytes?: number; /** Recorded turns one replay request re-runs (absent or 0: no limit). */ maxReplayTurns?: number };
  /** Throws if a dependency (database, queue) is unreachable. */
  checkReady(): Promise<void>;
  /** True once shutdown began: refuse new work, report not ready. */
  isDraining(): boolean;
  /** Request rates (absent: no rate limits). */
  rateLimiter?: RateLimiter;
  /** Where open streams are counted for the per-user cap (this process, or the cluster); needed when `security.maxSocketsPerUser` is set. */
  socketSlots?: SocketSlots;
  /** API keys and moderation (absent: their routes are not served). `auth` should check them too (withAccounts). */
  accounts?: { apiKeys: ApiKeyService; moderation: ModerationService; claims?: AccountService };
  /** Abuse limits and browser policy; absent fields mean "off". See docs/security.md. */
  security?: SecurityOptions;
  /** The queue dashboard (distributed mode), live counts (`/admin`, `/admin/stats`) and the token that guards them. */
  admin?: { dashboard?: (basePath: string) => Promise<Hono>; token?: string; stats?: () => Promise<AdminStats> };
  /** `GET /metrics` (absent: not served) and error counting. */
  metrics?: HttpMetrics;
  /** The built web client (web/dist), served at `/` (absent: not served). */
  webClientDir?: string;
  /** A span per request (OpenTelemetry; absent: tracing is off). */
  traceRequests?: MiddlewareHandler;
}

/** Live counts for `/admin/stats` (observability/admin-stats.ts gathers them). */
export interface AdminStats {
  at: string;
  sessions_active: number;
  active_window_minutes: number;
  turns_per_minute: number;
  turns_last_window: number;
  turn_rate_window_minutes: number;
  /** Whole queue (null: it cannot be counted right now, e.g. Redis is down). */
  queue: (QueueCounts & { depth: number }) | null;
  spend_today: {
    since: string;
    total_usd: number;
    by_model: { model: string; provider: string; calls: number; input_tokens: number; output_tokens: number; cost_usd: number }[];
  };
  /** This process only. */
  process: { role: string; turns_in_progress: number; stream_connections: number };
}

/** This process's Prometheus metrics, as the HTTP layer sees them. */
export interface HttpMetrics {
  contentType: string;
  render(): Promise<string>;
  /** METRICS_TOKEN: when set, scrapes must send it as a bearer token. */
  token?: string;
  /** An error response went out with this code. */
  error(code: string): void;
}

/** Per-user and per-IP rates (0 = off), the socket cap, CORS and proxy trust. */
export interface SecurityOptions {
  actionsPerMinute?: number;
  actionsPerMinutePerIp?: number;
  uploadsPerHour?: number;
  uploadsPerHourPerIp?: number;
  /** Reads of shared transcripts per address per minute. */
  sharedPerMinutePerIp?: number;
  /** Open event streams (WebSocket and SSE) per user (0 = unlimited); cluster-wide when `socketSlots` is shared. */
  maxSocketsPerUser?: number;
  /** How often an open stream's credential is verified again, so a suspension or a revoked API key ends it (0 = never). */
  streamRecheckMs?: number;
  /** Allowed browser origins; empty = same-origin only; ['*'] = any. */
  corsOrigins?: string[];
  /** Which proxies in front of us are trusted to report the client in X-Forwarded-For (TRUST_PROXY); none when absent. */
  trustProxy?: TrustProxy | null;
}

export interface AuthConfig {
  guests: boolean;
  supabase: { url: string; anon_key: string; oauth_providers: string[] } | null;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    userId: string;
    /** The verified token (set with userId). */
    principal: Principal;
    logger: Logger;
  };
}
