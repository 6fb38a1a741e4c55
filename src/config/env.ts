/**
 * The only reader of `process.env`. One zod schema, parsed once at start; every problem is
 * reported together so a misconfigured deployment fails fast with the whole list.
 * @module
 */
import { z } from 'zod';
import { DramaError } from '../domain/errors.js';
import { parseSecretKey } from '../shared/secret-box.js';
import { parseTrustProxy } from '../shared/trust-proxy.js';
import { assetsEnv, realtimeEnv } from './assets-env.js';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** Who may call: guest tokens, Supabase (HS256 secret or JWKS), admin. See docs/security.md. */
const authEnv = {
  /** Guest accounts (POST /api/auth/guest). Default: on, unless SUPABASE_URL, SUPABASE_JWT_SECRET or JWKS_URL is set. */
  GUEST_AUTH: z.enum(['on', 'off']).optional(),
  /** Supabase project URL; derives the JWKS endpoint and the issuer (`${SUPABASE_URL}/auth/v1`). */
  SUPABASE_URL: z.url().optional(),
  /** The Supabase project's legacy HS256 JWT secret (falls back to JWT_SECRET when SUPABASE_URL or JWT_ISSUER is set). */
  SUPABASE_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The Supabase project's anon (public) key: with SUPABASE_URL, the web client signs in through supabase-js (GET /api/auth/config). */
  SUPABASE_ANON_KEY: z.string().min(1).optional(),
  /** OAuth providers the web client offers, comma-separated (`github,google`), as enabled in the Supabase project. */
  SUPABASE_OAUTH_PROVIDERS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean)),
  /** Asymmetric keys for access tokens (default from SUPABASE_URL). */
  JWKS_URL: z.url().optional(),
  /** Required `iss` of external access tokens (default `${SUPABASE_URL}/auth/v1`). */
  JWT_ISSUER: z.string().min(1).optional(),
  /** Required `aud` of external access tokens. */
  JWT_AUDIENCE: z.string().min(1).default('authenticated'),
  /** Browser origins allowed by CORS, comma-separated (`*` = any); unset = same-origin only. */
  CORS_ORIGINS: z.string().optional(),
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For (per-IP rate limits). */
  /** Hop count or address/CIDR list of the proxies in front of us (see http/client-address.ts). */
  TRUST_PROXY: z
    .string()
    .default('false')
    .superRefine((v, ctx) => {
      try {
        parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `must be false, a hop count, or addresses/CIDRs/loopback/linklocal/uniquelocal separated by commas (${(err as Error).message})` });
      }
    }),
};

/** Abuse limits; 0 turns a limit off. Rates are per fixed window (a minute for actions, an hour for uploads). */
const limitsEnv = {
  RATE_LIMIT_ACTIONS_PER_MINUTE: int(60, 0),
  RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP: int(300, 0),
  RATE_LIMIT_UPLOADS_PER_HOUR: int(30, 0),
  RATE_LIMIT_UPLOADS_PER_HOUR_PER_IP: int(100, 0),
  /** Reads of shared transcripts (GET /api/shared/:token, no sign-in) per address per minute. */
  RATE_LIMIT_SHARED_PER_MINUTE_PER_IP: int(120, 0),
  /** Body limit of POST /api/sessions/import (a whole exported session, maybe with its story source). */
  SESSION_IMPORT_MAX_BYTES: int(8_000_000, 1024),
  /** Open WebSocket connections per user: in this process, or across every web server with REDIS_URL. */
  MAX_SOCKETS_PER_USER: int(20, 0),
  /** Narration deltas after the first go out at most this often, merged (ms; 0 = each as it comes). */
  NARRATION_FLUSH_MS: int(100, 0),
  /** Open streams verify their credential again this often: a suspended user or revoked API key is cut off (0 = only at connect). */
  STREAM_RECHECK_MS: int(30_000, 0),
  /** With REDIS_URL: a WebSocket's slot lapses this long after its server stops refreshing it (a crashed process). */
  WS_SLOT_TTL_MS: int(30_000, 1000),
  MAX_SESSIONS_PER_USER: int(1000, 0),
  MAX_MEMBERS_PER_SESSION: int(8, 2),
  /** Shared sessions: actions that may wait in a session's line (free mode, and votes). */
  MAX_QUEUED_ACTIONS: int(8, 1),
  /** Round mode: seconds a player has to act before they are skipped. */
  ROUND_TIMEOUT_S: int(120, 1),
  /** Vote mode: seconds a vote stays open, unless every online player has voted before. */
  VOTE_WINDOW_S: int(30, 1),
  MAX_STORIES_PER_USER: int(100, 0),
  /** API keys (not revoked) per user. */
  MAX_API_KEYS_PER_USER: int(20, 0),
  /** How long a web process reuses its answer to "is this user suspended?" (0 = ask the database every time). */
  SUSPENSION_CACHE_MS: int(15_000, 0),
  /** An uploaded story whose compile takes longer is stopped (422 compile_timeout). */
  COMPILE_TIMEOUT_MS: int(20_000, 100),
};

/** Long-term memory: retrieval score, rolling summaries, story cards. See README "Long-term memory". */
const memoryEnv = {
  /** Weights of relevance, recency and importance in the retrieval score, "1,1,1". */
  MEMORY_WEIGHTS: z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*,\s*\d+(\.\d+)?\s*,\s*\d+(\.\d+)?\s*$/, 'must be three non-negative numbers: relevance,recency,importance')
    .default('1,1,1'),
  /** Recency = MEMORY_DECAY^(turns since the memory). */
  MEMORY_DECAY: z.coerce.number().gt(0).max(1).default(0.99),
  /** Candidates fetched by vector similarity before re-ranking. */
  MEMORY_CANDIDATES: int(50, 1),
  /** Fold older history into the rolling summary every this many turns (0 = never). */
  SUMMARY_EVERY_TURNS: int(20, 0),
  /** Cosine similarity to the scene at which a story card enters without a keyword match (> 1 = never). */
  CARD_SIMILARITY: z.coerce.number().min(0).default(0.45),
  /** Memory for the in-process memory search (sessions' embeddings), per process, in MB; 0 = off. */
  MEMORY_CACHE_MB: int(256, 0),
};

/**
 * OpenTelemetry traces (deploy/observability/README.md, "Traces"): on when an OTLP/HTTP endpoint
 * is set, off otherwise. The standard names, so a collector sidecar's usual settings apply; the
 * SDK itself also reads OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER(_ARG) and OTEL_BSP_*.
 */
const tracingEnv = {
  /** Collector base URL; traces go to `<it>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** The traces URL itself; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('mock-drama'),
  /** `true` keeps tracing off whatever the endpoints say. */
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
};

export const envSchema = z.object({
  PORT: int(8000, 0).pipe(z.number().max(65535)),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the embedded database lives when DATABASE_URL is not set. */
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** PostgreSQL connections per process; several processes share the server's max_connections (100 by default). */
  PG_POOL_MAX: int(20, 1),
  /** The pool opens another connection (up to PG_POOL_MAX) only after a query waited this long for one (ms; 0 = at once). */
  PG_POOL_GROW_AFTER_MS: int(100, 0),
  /**
   * Connections in pipeline mode that carry the turn's hot-path statements (load, commit, session
   * head) beside the pool; 0 sends them through the pool. Server PostgreSQL only.
   */
  PG_PIPELINE_CONNECTIONS: int(2, 0),
  /** The former name of PG_POOL_MAX; when set, it wins (deployments that set it keep their budget). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).optional(),
  /** PostgreSQL cancels a statement running longer than this (ms; 0 = no limit), so a stuck query frees its connection. */
  PG_STATEMENT_TIMEOUT_MS: int(30_000, 0),
  PGLITE_THREAD: z.enum(['on', 'off']).default('on'),
  /**
   * All-in-one: run turns on a worker thread of their own (start-turn-thread.ts), so the event
   * loop that serves HTTP and WebSockets does not also run them. Needs the database on a thread
   * (PGLITE_THREAD=on with a data directory) or a server (DATABASE_URL).
   */
  TURN_THREAD: z.enum(['on', 'off']).default('off'),
  /**
   * All-in-one on PGlite: memory for the write-through cache of what a turn reads about its
   * session (storage/session-cache.ts), in MB; 0 = off. Not used with DATABASE_URL or TURN_THREAD=on
   * (the process is then not the database's only writer).
   */
  SESSION_CACHE_MB: int(64, 0),
  /**
   * Distributed: every process shares in Redis what an action must know of a one-player session
   * (owner, still playing, nobody joined), so an action on it reads nothing from the database
   * (domain/ports/session-heads.ts). Off = every action reads its session.
   */
  SESSION_HEAD_CACHE: z.enum(['on', 'off']).default('on'),
  /** PostgreSQL schema for our tables (search_path); default the server's own. */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  /** Set → distributed mode: BullMQ turn queue and Redis event bus. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  /** Key prefix for everything mock-drama keeps in Redis. */
  REDIS_PREFIX: z.string().regex(/^[\w:.-]+$/).default('md'),
  /** BullMQ lock; a crashed worker's turn is picked up after about lock + stall interval. */
  QUEUE_LOCK_MS: int(5000, 500),
  QUEUE_STALLED_INTERVAL_MS: int(3000, 200),
  /** `mock-drama work` serves /healthz, /readyz and /metrics here (0 = a free port, logged at start; a port in use is an error naming this variable). */
  WORKER_HEALTH_PORT: int(9464, 0).pipe(z.number().max(65535)),
  /** Bearer token for /admin/queues (Bull Board); unset = admin routes off. */
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Bearer token Prometheus must send to GET /metrics (web and worker); unset = open (keep /metrics off the public ingress). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  STORY_CACHE_SIZE: int(100, 1),
  STORIES_DIR: z.string().default('./stories'),
  HISTORY_TURNS: int(6, 0),
  MEMORY_TOP_K: int(5, 0),
  /** Days a turn's context trace and replay recording are kept (0 = for ever). */
  TRACE_RETENTION_DAYS: int(30, 0),
  /** Record each turn's model answers for replay (off: no recording; replays leave those turns out). */
  TURN_RECORDING: z.enum(['on', 'off']).default('on'),
  /** Recorded turns one `POST /api/sessions/:id/replay` re-runs at most (0 = no limit; the CLI has none). */
  REPLAY_MAX_TURNS: int(200, 0),
  ...memoryEnv,
  ...tracingEnv,
  /** Turns in flight per process. Turns mostly wait on models, so this is high (see bench/README.md, "The queue's slots"). */
  WORKER_CONCURRENCY: int(256, 1),
  WORKER_TARGET_UTILIZATION: z.coerce.number().min(0).max(1).default(0.9),
  TURN_ATTEMPTS: int(3, 1),
  TURN_BACKOFF_MS: int(5000, 0),
  MAX_INPUT_CHARS: int(4000, 1),
  MAX_BODY_BYTES: int(65_536, 1024),
  MAX_INK_SOURCE_BYTES: int(1_000_000, 1024),
  /** A lorebook import's body (POST …/cards/import): character card PNGs weigh 0.2–5 MB. */
  IMPORT_MAX_BYTES: int(8_388_608, 1024),
  EVENT_BUFFER_SIZE: int(1000, 1),
  EVENT_BUFFER_TTL_MS: int(600_000, 1000),
  SHUTDOWN_GRACE_MS: int(10_000, 0),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ...authEnv,
  ...limitsEnv,
  ...assetsEnv,
  ...realtimeEnv,
  /** Models per role, `provider:model[,fallback…]`; providers openai, anthropic, compat, offline. Unset: picked from the keys present, else offline. */
  NARRATOR_MODEL: z.string().optional(),
  JUDGE_MODEL: z.string().optional(),
  EMBEDDING_MODEL: z.string().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  /** Any OpenAI-compatible server (Ollama, vLLM, LM Studio, OpenRouter…). */
  COMPAT_BASE_URL: z.url().optional(),
  COMPAT_API_KEY: z.string().optional(),
  /** Narrator models players may choose in their settings: `provider:model`, comma-separated (checked at start). Unset: none, the server's only. */
  ALLOWED_MODELS: z.string().optional(),
  /** 32 bytes (64 hex digits or base64) that seal players' own provider keys (AES-256-GCM). Unset: PUT /api/me/provider-keys answers 501. */
  PROVIDER_KEY_SECRET: z
    .string()
    .optional()
    .refine((v) => v === undefined || parseSecretKey(v) !== null, { message: 'must be 32 bytes: 64 hex digits or base64 (openssl rand -base64 32)' }),
  /** Model calls in flight per provider, shared by all turns of a process. */
  MODEL_CONCURRENCY: int(256, 1),
  /** Retries inside one model call on 429/5xx (Retry-After honoured). */
  MODEL_MAX_RETRIES: int(2, 0),
  /** Prompt budget per call in (estimated) tokens: oldest history goes first, the choices never. */
  NARRATOR_CONTEXT_TOKENS: int(6000, 500),
  JUDGE_CONTEXT_TOKENS: int(4000, 500),
  NARRATOR_FIRST_TOKEN_TIMEOUT_MS: int(15_000, 0),
  NARRATOR_TIMEOUT_MS: int(120_000, 0),
  JUDGE_TIMEOUT_MS: int(60_000, 0),
  /** Prices per million tokens by model id, JSON: {"gpt-4o-mini":{"input":0.15,"output":0.6,"cachedInput":0.075}}; merged over the defaults. */
  MODEL_PRICES: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const price = z.object({ input: z.number().min(0), output: z.number().min(0), cachedInput: z.number().min(0).optional() });
      try {
        const parsed = z.record(z.string(), price).safeParse(JSON.parse(s));
        if (parsed.success) return parsed.data;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be JSON like {"model-id":{"input":0.15,"output":0.6}}' });
      return z.NEVER;
    }),
  /** Embedding requests arriving within this window are sent as one batch (0 = no batching). */
  EMBED_BATCH_WINDOW_MS: int(5, 0),
  /** Tokens a user may spend per UTC day (0 = unlimited); over it, actions get 429 budget_exceeded. */
  DAILY_TOKEN_BUDGET: int(0, 0),
  /**
   * `split` (default): a narrator call, then a judge call. `single`: one structured call writes the
   * passage and the decision (the narrator's model; the narration still streams) — fewer calls and
   * input tokens, a longer wait for the first token and for the decision.
   */
  MODEL_CALL_MODE: z.enum(['split', 'single']).default('split'),
  /** When a real judge's output is unusable after one repair, let the offline judge decide. */
  JUDGE_FALLBACK: z.enum(['offline', 'off']).default('offline'),
  /** Offline narrator pacing, for demos and benchmarks: delay per streamed chunk. */
  OFFLINE_CHUNK_DELAY_MS: int(0, 0),
  /** Offline models' delay before their first output (narrator first token, judge reply), for benchmarks. */
  OFFLINE_LATENCY_MS: int(0, 0),
});

/** The parsed configuration; DATABASE_POOL_SIZE is the pool size in effect (PG_POOL_MAX unless the old name is set). */
export type Env = Omit<z.infer<typeof envSchema>, 'DATABASE_POOL_SIZE'> & { DATABASE_POOL_SIZE: number };

/**
 * LOG_LEVEL alone, with the command's own default when it is unset (the terminal player is quiet
 * by default; `build-web` runs from npm install, which must not fail on unrelated settings).
 */
export function loadLogLevel(fallback: Env['LOG_LEVEL'], source: Record<string, string | undefined> = process.env): Env['LOG_LEVEL'] {
  const value = source.LOG_LEVEL;
  if (value === undefined || value === '') return fallback;
  const parsed = envSchema.shape.LOG_LEVEL.safeParse(value);
  if (!parsed.success) throw new DramaError('config_invalid', `Invalid configuration:\n  LOG_LEVEL: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Parse the environment; throws `config_invalid` naming every bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings mean "unset" (docker-compose and shells produce them for blank values).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new DramaError('config_invalid', `Invalid configuration:\n  ${problems.join('\n  ')}`, { details: problems });
  }
  return { ...parsed.data, DATABASE_POOL_SIZE: parsed.data.DATABASE_POOL_SIZE ?? parsed.data.PG_POOL_MAX };
}
