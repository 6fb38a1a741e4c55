/**
 * Schema preparation shared by both drivers: run the migrations, then find out whether memories
 * can be searched with pgvector.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';
import { DramaError } from '../domain/errors.js';
import type { PgvectorInfo } from './repos/memory-repo.js';
import type { BlobPacking } from './repos/packed-json.js';
import { queryRows, type Db } from './repos/query.js';
import * as tables from './schema/index.js';

/** Resolved from this module, not the cwd, so any entry point (CLI, tests, bench) finds it. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
const PGVECTOR_MIGRATION = '0001_pgvector_when_available.sql';

interface VectorState {
  has_column: boolean;
  available: boolean;
  ext_schema: string | null;
}

async function readVectorState(db: Db): Promise<VectorState> {
  const [row] = await queryRows<VectorState>(
    db,
    sql`SELECT
          EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = 'memories'
                     AND column_name = 'embedding_vec') AS has_column,
          EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available,
          (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname = 'vector') AS ext_schema`,
  );
  if (!row) throw new Error('vector state query returned no row');
  return row;
}

/**
 * Apply pending migrations (through `runMigrations`), then detect pgvector: the migration adds
 * `memories.embedding_vec` only where the extension exists. If pgvector was installed after that
 * migration ran, its (idempotent) SQL is applied again here so the database upgrades itself.
 * Callers must hold whatever guards concurrent migration (PGlite: the data-dir lock; Postgres:
 * an advisory lock on the same connection as `db`).
 */
export async function migrateAndDetectVector(
  db: Db,
  runMigrations: () => Promise<void>,
  onVectorUpgrade?: () => void,
): Promise<PgvectorInfo | null> {
  await runMigrations();
  let state = await readVectorState(db);
  if (!state.has_column && state.available) {
    onVectorUpgrade?.();
    const text = readFileSync(join(MIGRATIONS_FOLDER, PGVECTOR_MIGRATION), 'utf8');
    await db.execute(sql.raw(text));
    state = await readVectorState(db);
  }
  return state.has_column && state.ext_schema ? { schema: state.ext_schema } : null;
}

/**
 * Who compresses a turn's trace and recording (see packed-json.ts): the server, where migration
 * 0020 could give their columns lz4 compression, or this process. Read from the catalog, so every
 * process of a deployment decides alike whichever of them ran the migration.
 */
export async function detectBlobPacking(db: Db): Promise<BlobPacking> {
  const [row] = await queryRows<{ lz4: boolean }>(
    db,
    sql`SELECT coalesce(bool_and(attcompression = 'l'), false) AS lz4
          FROM pg_attribute
         WHERE attrelid = to_regclass('turns') AND attname IN ('recording', 'trace_gz')`,
  );
  return row?.lz4 ? 'lz4' : 'brotli';
}

/** Schema names reach SQL and connection options unquoted, so only plain identifiers pass. */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new DramaError('config_invalid', `invalid database schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`);
  }
}

/**
 * Migrate a server PostgreSQL under an advisory lock held on the same connection, so a web and a
 * worker process starting together do not apply the same migration twice.
 */
export async function migrateOnOneConnection(
  pool: pg.Pool,
  opts: { schema: string | undefined; statementTimeoutMs: number | undefined; onVectorUpgrade: () => void },
): Promise<PgvectorInfo | null> {
  const client = await pool.connect();
  try {
    const lockKey = `mock-drama:migrate:${opts.schema ?? ''}`;
    // Migrations (an index over a large table) may take longer than a request's statement timeout;
    // this connection is discarded afterwards, so the setting goes with it.
    if (opts.statementTimeoutMs) await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      if (opts.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`);
      const db = drizzlePg({ client, schema: tables }) as unknown as Db;
      const migrationsSchema = opts.schema ?? 'drizzle';
      return await migrateAndDetectVector(db, () => migratePg(db as never, { migrationsFolder: MIGRATIONS_FOLDER, migrationsSchema }), opts.onVectorUpgrade);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    }
  } finally {
    // Destroy rather than return it: later connections must all be set up the same way.
    client.release(true);
  }
}
