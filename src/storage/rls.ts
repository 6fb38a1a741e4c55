/**
 * Row-level security for a Supabase database (`mock-drama db enable-rls`). Our server connects as
 * the tables' owner, which RLS does not restrict, and enforces ownership itself; these policies
 * are for clients that read the database directly with a user's JWT (supabase-js, the Data API),
 * as Supabase's `authenticated` role keyed on `auth.uid()`. They grant reading only what the
 * API would show that user; no write is granted at all (writes go through the API and its limits).
 * Applying them again changes nothing (each policy is dropped and created in one transaction).
 * @module
 */
import pg from 'pg';
import { getTableName, isTable } from 'drizzle-orm';
import { DramaError } from '../domain/errors.js';
import * as tables from './schema/index.js';

/** Who may read a row, as a SQL condition on the table's own columns (`s` = the schema, quoted). */
const OWN_SESSION = (s: string) => `exists (select 1 from ${s}.sessions x where x.id = session_id and x.owner_id = auth.uid()::text)`;
const VISIBLE_STORY = (s: string, column: string) =>
  `exists (select 1 from ${s}.stories x where x.id = ${column} and (x.owner_id = auth.uid()::text or (x.visibility = 'public' and not x.hidden)))`;

/**
 * Every table and who reads it. `null`: nobody through the Data API (RLS on, no policy). A table
 * missing here makes {@link enableRowLevelSecurity} refuse to run, so a new table cannot slip by.
 */
export const READ_POLICIES: Record<string, ((schema: string) => string) | null> = {
  stories: () => `deleted_at is null and (owner_id = auth.uid()::text or (visibility = 'public' and not hidden))`,
  story_versions: (s) => VISIBLE_STORY(s, 'story_id'),
  sessions: () => `owner_id = auth.uid()::text`,
  turns: OWN_SESSION,
  memories: OWN_SESSION,
  memory_stats: OWN_SESSION,
  cards: (s) => `(session_id is not null and ${OWN_SESSION(s)}) or (story_id is not null and ${VISIBLE_STORY(s, 'story_id')})`,
  api_keys: () => `owner_id = auth.uid()::text`,
  suspended_users: null,
  guest_claims: () => `account_id = auth.uid()::text`,
  // Members see who else is in their sessions; invites are codes, readable by nobody.
  session_members: (s) => `${OWN_SESSION(s)} or exists (select 1 from ${s}.session_members y where y.session_id = session_members.session_id and y.user_id = auth.uid()::text)`,
  session_invites: null,
  user_settings: () => `user_id = auth.uid()::text`,
  // Sealed keys are useless without the server's secret, but nobody needs to read them directly.
  provider_keys: null,
  // Token hashes: links are read through the API only (GET /api/shared/:token).
  session_shares: null,
  // A player's own waiting actions, and the owner's view of the session's line.
  session_actions: (s) => `user_id = auth.uid()::text or ${OWN_SESSION(s)}`,
  // Admins read the audit log through the API only.
  audit_log: null,
};

/** The tables our schema defines (from the Drizzle schema, so none is forgotten). */
export function schemaTables(): string[] {
  return Object.values(tables)
    .filter((t) => isTable(t))
    .map((t) => getTableName(t as never));
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export interface RlsReport {
  schema: string;
  tables: { table: string; policy: string | null }[];
}

/**
 * Enable RLS on every table of `schema` with the read policies above, for the `authenticated`
 * role. Refuses (`config_invalid`) where Supabase's `authenticated` role or `auth.uid()` is
 * missing, or where a table has no entry in {@link READ_POLICIES}.
 */
export async function enableRowLevelSecurity(databaseUrl: string, schema = 'public'): Promise<RlsReport> {
  const missing = schemaTables().filter((t) => !(t in READ_POLICIES));
  if (missing.length > 0) throw new DramaError('config_invalid', `no row-level policy is defined for ${missing.join(', ')}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ role: boolean; uid: boolean }>(
      `select exists (select 1 from pg_roles where rolname = 'authenticated') as role,
              exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'auth' and p.proname = 'uid') as uid`,
    );
    if (!rows[0]?.role || !rows[0]?.uid) {
      throw new DramaError('config_invalid', "this database has no Supabase `authenticated` role or `auth.uid()` function: row-level security here is for Supabase's Data API");
    }
    const s = quoteIdent(schema);
    const report: RlsReport = { schema, tables: [] };
    await client.query('begin');
    await client.query(`grant usage on schema ${s} to authenticated`);
    for (const table of schemaTables()) {
      const t = `${s}.${quoteIdent(table)}`;
      const policy = READ_POLICIES[table]!;
      await client.query(`alter table ${t} enable row level security`);
      // Reads only where a policy says so; writes never (the API enforces its own rules).
      await client.query(`revoke insert, update, delete, truncate on ${t} from authenticated`);
      await client.query(`drop policy if exists mock_drama_read on ${t}`);
      if (policy) {
        await client.query(`grant select on ${t} to authenticated`);
        await client.query(`create policy mock_drama_read on ${t} for select to authenticated using (${policy(s)})`);
      } else {
        await client.query(`revoke select on ${t} from authenticated`);
      }
      report.tables.push({ table, policy: policy ? policy(s) : null });
    }
    // Anything else in the schema (the migration journal, when it lives here): closed too.
    const { rows: others } = await client.query<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r' and not (c.relname = any($2))`,
      [schema, schemaTables()],
    );
    for (const { relname } of others) {
      const t = `${s}.${quoteIdent(relname)}`;
      await client.query(`alter table ${t} enable row level security`);
      await client.query(`revoke all on ${t} from authenticated`);
      report.tables.push({ table: relname, policy: null });
    }
    await client.query('commit');
    return report;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
