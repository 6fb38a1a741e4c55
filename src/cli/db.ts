import { loadEnv } from '../config/env.js';
import { DramaError } from '../domain/errors.js';
import { openDatabase } from '../storage/db.js';
import { enableRowLevelSecurity } from '../storage/rls.js';

/**
 * `mock-drama db enable-rls`: row-level security on every table, for Supabase's `authenticated`
 * role (see storage/rls.ts and docs/security.md). Migrates first, so the tables exist. Idempotent.
 */
export async function runDb(args: string[]): Promise<number> {
  if (args[0] !== 'enable-rls') {
    console.error('Usage: mock-drama db enable-rls     (needs DATABASE_URL; DATABASE_SCHEMA if the tables have their own schema)');
    return 2;
  }
  const env = loadEnv();
  if (!env.DATABASE_URL) throw new DramaError('config_invalid', '`mock-drama db enable-rls` needs DATABASE_URL: row-level security is for a Supabase (PostgreSQL) database');
  const opened = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 1, ...(env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {}) });
  await opened.close();
  const report = await enableRowLevelSecurity(env.DATABASE_URL, env.DATABASE_SCHEMA ?? 'public');
  for (const t of report.tables) console.log(`${report.schema}.${t.table}: row-level security on, ${t.policy ? 'readable by its owner (authenticated)' : 'not readable through the Data API'}`);
  console.log(`${report.tables.length} tables; no writes granted to authenticated`);
  return 0;
}
