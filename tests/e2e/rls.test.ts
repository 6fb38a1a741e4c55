/**
 * Row-level security on the real PostgreSQL, as Supabase sets it up: the `authenticated` role and
 * an `auth.uid()` read from `request.jwt.claims`. After `mock-drama db enable-rls`, a user reading
 * the tables directly sees only their own sessions, turns and memories and can change nothing,
 * while the server (the tables' owner) still plays every turn.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { dropPgSchema } from '../../src/storage/__fixtures__/store-targets.js';
import { READ_POLICIES, schemaTables } from '../../src/storage/rls.js';
import { api, openEvents } from '../support/clients.js';
import { runCli } from '../support/cli-process.js';
import { TEST_PG_URL } from '../support/test-env.js';

const schema = `md_rls_${randomBytes(5).toString('hex')}`;

/** Supabase's roles and auth.uid(), as its own migrations create them (idempotent: the cluster keeps roles). */
async function supabaseStandIns(client: pg.Client): Promise<void> {
  await client.query(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'authenticated') then create role authenticated nologin; end if;
      if not exists (select 1 from pg_roles where rolname = 'anon') then create role anon nologin; end if;
    end $$`);
  await client.query('create schema if not exists auth');
  await client.query(`create or replace function auth.uid() returns uuid language sql stable as
    $$ select nullif(current_setting('request.jwt.claims', true)::json->>'sub', '')::uuid $$`);
  await client.query('grant usage on schema auth to authenticated, anon');
}

/** Run `work` as `userId` would through Supabase's Data API: role authenticated, their claims. */
async function asUser<T>(client: pg.Client, userId: string, work: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })]);
    await client.query('set local role authenticated');
    await client.query(`set local search_path to "${schema}", public`);
    return await work();
  } finally {
    await client.query('rollback');
  }
}

describe('row-level security for Supabase (mock-drama db enable-rls)', () => {
  let server: RunningServer;
  let admin: pg.Client;
  const env = { DATABASE_URL: TEST_PG_URL, DATABASE_SCHEMA: schema };

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await supabaseStandIns(admin);
    server = await startServer(
      loadEnv({ ...env, DATA_DIR: ':memory:', JWT_SECRET: 'rls-secret-rls-secret-rls-secret-0123456', STORIES_DIR: 'tests/fixtures', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' }),
      silentLogger(),
    );
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await admin?.end();
    await dropPgSchema(TEST_PG_URL, schema);
  });

  async function playerWithATurn(input: string) {
    const guest = await api(server.url)('POST', '/api/auth/guest');
    const call = api(server.url, guest.body.token);
    const storyId = (await call('GET', '/api/stories')).body.stories[0].id;
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    expect((await call('POST', `/api/sessions/${sessionId}/memories`, { text: `${input}: a private fact` })).status).toBe(201);
    const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest.body.token}`);
    expect((await call('POST', '/api/story/action', { session_id: sessionId, user_input: input })).status).toBe(202);
    expect((await ws.until((e) => e.type === 'turn.completed' || e.type === 'turn.failed', 20_000)).type).toBe('turn.completed');
    ws.close();
    return { userId: guest.body.user_id as string, sessionId };
  }

  it('every table of the schema has a read rule (or none on purpose)', () => {
    expect(schemaTables().sort()).toEqual(Object.keys(READ_POLICIES).sort());
  });

  it('a user sees only their own rows and changes none; the server still plays turns; applying it twice changes nothing', async () => {
    const a = await playerWithATurn('I open the vault');
    const b = await playerWithATurn('I count the coins');
    expect(a.userId).toMatch(/^[0-9a-f-]{36}$/);

    for (let run = 0; run < 2; run++) {
      const r = await runCli(['db', 'enable-rls'], env, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${schema}.sessions: row-level security on`);
    }
    const { rows: policies } = await admin.query(`select tablename, policyname from pg_policies where schemaname = $1 order by 1`, [schema]);
    expect(policies.map((p) => p.tablename)).toEqual(Object.entries(READ_POLICIES).filter(([, p]) => p).map(([t]) => t).sort());
    const { rows: unprotected } = await admin.query(`select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r' and not c.relrowsecurity`, [schema]);
    expect(unprotected).toEqual([]);

    await asUser(admin, a.userId, async () => {
      const sessions = await admin.query('select id, owner_id from sessions');
      expect(sessions.rows).toEqual([{ id: a.sessionId, owner_id: a.userId }]);
      const turns = await admin.query('select distinct session_id from turns');
      expect(turns.rows).toEqual([{ session_id: a.sessionId }]);
      const memories = await admin.query('select distinct session_id from memories');
      expect(memories.rows).toEqual([{ session_id: a.sessionId }]);
      // Public shipped stories are readable; nothing of B's is.
      expect((await admin.query('select count(*)::int as n from stories')).rows[0].n).toBeGreaterThan(0);
      expect((await admin.query('select count(*)::int as n from sessions where id = $1', [b.sessionId])).rows[0].n).toBe(0);
    });
    // Who is suspended is nobody's business through the Data API.
    await expect(asUser(admin, a.userId, () => admin.query('select * from suspended_users'))).rejects.toThrow(/permission denied/);

    // No write of any kind, to anyone's rows (B's, or A's own).
    for (const [sql, params] of [
      ['update sessions set status = $2 where id = $1', [b.sessionId, 'ended']],
      ['update sessions set status = $2 where id = $1', [a.sessionId, 'ended']],
      ['delete from turns where session_id = $1', [b.sessionId]],
      ['insert into memories (session_id, text) values ($1, $2)', [b.sessionId, 'planted']],
    ] as const) {
      await expect(asUser(admin, a.userId, () => admin.query(sql, [...params])), sql).rejects.toThrow(/permission denied/);
    }
    const { rows } = await admin.query(`select status from "${schema}".sessions where id = $1`, [b.sessionId]);
    expect(rows[0].status).toBe('active');

    // The server connects as the tables' owner: turns still run end to end.
    const again = await playerWithATurn('I close the vault');
    expect(again.sessionId).toBeTruthy();
  }, 120_000);
});
