/**
 * Opens the Store: embedded PGlite (default, no servers needed) or PostgreSQL from DATABASE_URL.
 * Both run the same migrations from code at start, then report which memory search they use.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { StoreWithStats } from './stats.js';
import { createStore, type OpenedDb } from './create-store.js';
import { acquireDataDirLock, type DataDirLock } from './lock-file.js';
import { assertSchemaName, detectBlobPacking, migrateAndDetectVector, migrateOnOneConnection, MIGRATIONS_FOLDER } from './migrate-schema.js';
import { DEFAULT_VECTOR_CACHE_BYTES } from './repos/memory-repo.js';
import type { Db } from './repos/query.js';
import type { RawQuery } from './repos/statement.js';
import { GradualPool } from './gradual-pool.js';
import { analyzePeriodically, PGLITE_ANALYZE_INTERVAL_MS } from './pglite-analyze.js';
import { openPgliteData, pgliteTemplatePath } from './pglite-template.mjs';
import { PGLITE_CONNECTIONS, startPgliteThread, type PgliteThread } from './pglite-thread.js';
import { PipelinedClients } from './pipelined-clients.js';
import * as tables from './schema/index.js';
import { simdKernelAvailable } from './vectors/int8-codes.js';

export interface StoreLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface StoreConfig {
  /** PostgreSQL URL; when absent, PGlite stores data under `dataDir`. */
  databaseUrl?: string;
  /** PGlite data lives in `dataDir/pgdata`; ':memory:' keeps it in memory (tests). */
  dataDir: string;
  /** Max connections of the PostgreSQL pool (not PGlite's: see PGLITE_CONNECTIONS). */
  poolSize: number;
  /** The pool opens another connection once a query has waited this long for one (ms); see GradualPool. */
  poolGrowAfterMs?: number;
  /**
   * Connections in pipeline mode for the hot path's single statements (see PipelinedClients);
   * 0 or absent: they go through the pool. Server PostgreSQL only (PGlite's thread serves one
   * session in turns, so there is nothing to gain).
   */
  pipelineConnections?: number;
  /** PostgreSQL `statement_timeout` of every pooled connection (ms; 0 or absent = none). */
  statementTimeoutMs?: number;
  /** Own schema for all tables and the migration journal (tests, or a shared Supabase DB). */
  schema?: string;
  logger?: StoreLogger;
  /** Budget of the in-process memory search cache, in bytes (0 = off); see SessionVectorCache. */
  memoryCacheBytes?: number;
  /**
   * Run PGlite on a worker thread and reach it over node-postgres (see pglite-thread.ts), so its
   * statements do not block this thread. Applies to a data directory; ':memory:' stays in-process,
   * and so do Windows (the thread listens on a Unix socket, which node-postgres reaches by path) and
   * a `schema` (set per connection through startup options, which the socket does not carry).
   */
  pgliteThread?: boolean;
  /**
   * The socket URL of a PGlite thread this process already runs (another thread's store's
   * `pgliteUrl`): connect to it as that store does, without starting, locking or owning it.
   */
  attachPglite?: string;
  /**
   * Where a new PGlite database's starting copy is kept (pglite-template.mjs): absent, this
   * installation's (node_modules/.cache/mock-drama/); null, none: every new database runs initdb.
   */
  pgliteTemplate?: string | null;
}

/**
 * Let queries stay exact-count when HNSW meets the session filter (pgvector ≥ 0.8), and search a
 * candidate list wider than the 50 candidates a recall asks for (the default ef_search, 40, is
 * narrower than that: recall@5 measured 0.77 at 100k memories).
 */
const HNSW_SETTINGS = ['SET hnsw.iterative_scan = strict_order', 'SET hnsw.ef_search = 100'];

const PLAN_SETTINGS = 'SET plan_cache_mode = force_generic_plan';

const POOL_IDLE_TIMEOUT_MS = 5 * 60_000;

/** See GradualPool: a short wait for a busy connection is far cheaper than warming a new one. */
export const DEFAULT_POOL_GROW_AFTER_MS = 100;

/**
 * Open, lock (PGlite directory), migrate and return the Store. Throws `database_locked` when
 * another live process owns `dataDir`. The caller must `close()` it: PGlite keeps the event loop
 * alive and the lock held until then.
 */
export async function openStore(config: StoreConfig): Promise<StoreWithStats> {
  return createStore(await openDatabase(config), { memoryCacheBytes: config.memoryCacheBytes });
}

/**
 * The step before {@link openStore}: the opened and migrated database handle, for callers that
 * also need raw SQL (tests comparing rows byte for byte).
 */
export async function openDatabase(config: StoreConfig): Promise<OpenedDb> {
  if (config.schema !== undefined) assertSchemaName(config.schema);
  const started = performance.now();
  const opened = config.attachPglite
    ? await attachPgliteThread(config, config.attachPglite)
    : config.databaseUrl
    ? await openPostgres(config, config.databaseUrl)
    : config.pgliteThread && config.dataDir !== ':memory:' && process.platform !== 'win32' && config.schema === undefined
      ? await openPgliteThread(config)
      : await openPglite(config);
  const cacheMb = Math.round((config.memoryCacheBytes ?? DEFAULT_VECTOR_CACHE_BYTES) / 2 ** 20);
  const inProcess = cacheMb > 0 ? `memory search runs in process (exact, ${cacheMb} MB cache, ${simdKernelAvailable ? 'WebAssembly SIMD' : 'JS'} scan)` : 'in-process memory search is off';
  config.logger?.info(
    { db: opened.kind, vector: opened.pgvector ? 'pgvector' : 'portable', memoryCacheMb: cacheMb, blobs: opened.blobPacking, ...(opened.pgliteStart ? { pgdata: opened.pgliteStart } : {}), ms: Math.round(performance.now() - started) },
    (opened.pgvector
      ? `${inProcess}; pgvector (HNSW on memories.embedding_vec, extension schema ${opened.pgvector.schema}) answers sessions it does not hold`
      : `${inProcess}; pgvector not available: sessions it does not hold are ranked in the application`) +
      (opened.blobPacking === 'lz4' ? '; turn traces and recordings are compressed by the server (lz4)' : '; turn traces and recordings are compressed here (brotli: the server has no lz4)'),
  );
  return opened;
}

function onVectorUpgrade(config: StoreConfig, kind: StoreWithStats['kind']): () => void {
  return () => config.logger?.info({ db: kind }, 'pgvector is available but not set up: applying the vector migration');
}

function templateOf(config: StoreConfig): string | null {
  return config.pgliteTemplate === undefined ? pgliteTemplatePath() : config.pgliteTemplate;
}

async function openPglite(config: StoreConfig): Promise<OpenedDb> {
  const inMemory = config.dataDir === ':memory:';
  let lock: DataDirLock | undefined;
  if (!inMemory) {
    mkdirSync(config.dataDir, { recursive: true });
    lock = acquireDataDirLock(config.dataDir);
  }
  let client: PGlite | undefined;
  try {
    // Loaded here: a process on a PostgreSQL server (DATABASE_URL) never needs them (~0.1 s of a start).
    const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator')]);
    const started = await openPgliteData(inMemory ? 'memory://' : join(config.dataDir, 'pgdata'), templateOf(config));
    client = started.db;
    const db = drizzlePglite({ client, schema: tables }) as unknown as Db;
    if (config.schema) {
      // One connection: a session-level search_path holds for every later query.
      await db.execute(sql.raw(`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`));
      await db.execute(sql.raw(`SET search_path TO "${config.schema}", public`));
    }
    const migrationsSchema = config.schema ?? 'drizzle';
    const pgvector = await migrateAndDetectVector(
      db,
      () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER, migrationsSchema }),
      onVectorUpgrade(config, 'pglite'),
    );
    if (pgvector) await trySet(db, config);
    const blobPacking = await detectBlobPacking(db);
    const stopAnalyzing = analyzePeriodically(db, config.logger);
    const pgl = client;
    const query: RawQuery = async <T>(statement: { text: string }, values: unknown[]) => (await pgl.query<T>(statement.text, values)).rows;
    return {
      kind: 'pglite',
      pgliteStart: started.from,
      db,
      query,
      pgvector,
      blobPacking,
      async close() {
        stopAnalyzing();
        try {
          await pgl.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (err) {
    await client?.close().catch(() => undefined);
    lock?.release();
    throw err;
  }
}

/**
 * PGlite on its own thread, behind a Unix socket: the PostgreSQL code path with one connection
 * (PGlite serves one at a time), the data directory locked as in-process.
 */
async function openPgliteThread(config: StoreConfig): Promise<OpenedDb> {
  mkdirSync(config.dataDir, { recursive: true });
  const lock = acquireDataDirLock(config.dataDir);
  let thread: PgliteThread | undefined;
  try {
    thread = await startPgliteThread(join(config.dataDir, 'pgdata'), { analyzeEveryMs: PGLITE_ANALYZE_INTERVAL_MS, templatePath: templateOf(config) });
    const opened = await attachPgliteThread(config, thread.url);
    const running = thread;
    return {
      ...opened,
      pgliteStart: running.from,
      pgliteUrl: running.url,
      async close() {
        try {
          await opened.close();
          await running.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (err) {
    await thread?.close().catch(() => undefined);
    lock.release();
    throw err;
  }
}

/** The PostgreSQL code path to a PGlite thread's socket (see PGLITE_CONNECTIONS). */
async function attachPgliteThread(config: StoreConfig, url: string): Promise<OpenedDb> {
  return { ...(await openPostgres({ ...config, poolSize: PGLITE_CONNECTIONS, poolGrowAfterMs: 0 }, url, { sharedBackend: true })), kind: 'pglite' };
}

async function trySet(db: Db, config: StoreConfig): Promise<void> {
  try {
    for (const setting of HNSW_SETTINGS) await db.execute(sql.raw(setting));
  } catch (err) {
    config.logger?.warn({ err }, 'could not enable hnsw.iterative_scan (pgvector < 0.8?)');
  }
}

/** search_path through startup options, keeping any `options` the URL already carries. */
function poolOptions(databaseUrl: string, schema: string | undefined): string | undefined {
  if (!schema) return undefined;
  let fromUrl: string | null = null;
  try {
    fromUrl = new URL(databaseUrl).searchParams.get('options');
  } catch {
    // not a URL (e.g. a key=value string): nothing to keep
  }
  return [fromUrl, `-c search_path=${schema},public`].filter(Boolean).join(' ');
}

/**
 * `sharedBackend`: every connection reaches the same single session (PGlite behind its socket,
 * which keeps each connection's named statements apart), so idle connections are never closed.
 */
async function openPostgres(config: StoreConfig, databaseUrl: string, opts: { sharedBackend?: boolean } = {}): Promise<OpenedDb> {
  const options = poolOptions(databaseUrl, config.schema);
  // Settings every connection gets before its first query. The hot path's named statements
  // (load, commit, session head) are prepared once per connection; with the default plan cache
  // the server re-plans them at every execution until it trusts a generic plan, and planning the
  // load statement cost 9 ms against 0.8 ms to run it. Their parameters are keys, so one generic
  // plan is right for every call. (Unnamed statements are planned per call whatever this says.)
  let onEveryConnection = PLAN_SETTINGS;
  const pool = new GradualPool({
    connectionString: databaseUrl,
    max: config.poolSize,
    growAfterMs: config.poolGrowAfterMs ?? DEFAULT_POOL_GROW_AFTER_MS,
    // A new server connection costs ~60 ms of server CPU the first time it runs the turn's
    // statements (catalog caches, parse, plan); node-postgres closed idle ones after 10 s, so
    // bursty traffic paid that again and again. Keep them for minutes instead.
    idleTimeoutMillis: opts.sharedBackend ? 0 : POOL_IDLE_TIMEOUT_MS,
    ...(config.statementTimeoutMs ? { statement_timeout: config.statementTimeoutMs } : {}),
    ...(options ? { options } : {}),
    onConnect: async (c: pg.ClientBase) => {
      await c.query(onEveryConnection).catch((err: unknown) => config.logger?.warn({ err, settings: onEveryConnection }, 'could not apply the connection settings'));
    },
  });
  // An idle client's connection error is emitted on the pool; unhandled, it would crash the process.
  pool.on('error', (err) => config.logger?.warn({ err }, 'idle PostgreSQL connection failed'));
  try {
    const pgvector = await migrateOnOneConnection(pool, { schema: config.schema, statementTimeoutMs: config.statementTimeoutMs, onVectorUpgrade: onVectorUpgrade(config, 'postgres') });
    // Every connection made from now on gets the setting; the migration connection was discarded.
    if (pgvector) onEveryConnection = [PLAN_SETTINGS, ...HNSW_SETTINGS].join('; ');
    const db = drizzlePg({ client: pool, schema: tables }) as unknown as Db;
    const blobPacking = await detectBlobPacking(db);
    const pipelined = !opts.sharedBackend && (config.pipelineConnections ?? 0) > 0
      ? new PipelinedClients({
          client: { connectionString: databaseUrl, ...(config.statementTimeoutMs ? { statement_timeout: config.statementTimeoutMs } : {}), ...(options ? { options } : {}) },
          size: config.pipelineConnections!,
          setup: onEveryConnection,
          ...(config.logger ? { logger: config.logger } : {}),
        })
      : null;
    const poolStats = () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: config.poolSize,
      opened: pool.opened + (pipelined?.opened ?? 0),
      pipelined: pipelined?.size ?? 0,
    });
    const query: RawQuery = pipelined
      ? <T>(statement: { name: string; text: string }, values: unknown[]) => pipelined.query<T & pg.QueryResultRow>(statement, values)
      : async <T>(statement: { name: string; text: string }, values: unknown[]) => (await pool.query<T & pg.QueryResultRow>({ name: statement.name, text: statement.text, values })).rows;
    return { kind: 'postgres', db, query, pgvector, blobPacking, poolStats, close: async () => void (await Promise.all([pool.end(), pipelined?.close()])) };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}
