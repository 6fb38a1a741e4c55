import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDb } from './create-store.js';
import { openDatabase } from './db.js';
import { migrateAndDetectVector, MIGRATIONS_FOLDER } from './migrate-schema.js';
import { VECTOR_DIMENSIONS } from './repos/cosine.js';
import { createMemoryRepo } from './repos/memory-repo.js';
import { queryRows } from './repos/query.js';

/** Apply one migration file by hand, split like drizzle's migrator does. */
async function applyFile(opened: OpenedDb, file: string): Promise<void> {
  const text = readFileSync(join(MIGRATIONS_FOLDER, file), 'utf8');
  for (const stmt of text.split('--> statement-breakpoint')) await opened.db.execute(sql.raw(stmt));
}

const unit = (i: number) => Array.from({ length: VECTOR_DIMENSIONS }, (_, j) => (j === i ? 1 : 0.01));

async function insertMemory(opened: OpenedDb, id: string, embedding: number[]): Promise<void> {
  await opened.db.execute(sql`INSERT INTO stories (id, slug, title, current_version, source) VALUES ('s', 's', 't', 'v', '') ON CONFLICT DO NOTHING`);
  await opened.db.execute(
    sql`INSERT INTO sessions (id, owner_id, story_id, story_version, ink_state, view) VALUES ('x', 'o', 's', 'v', '', '{}') ON CONFLICT DO NOTHING`,
  );
  await opened.db.execute(
    sql`INSERT INTO memories (id, session_id, turn_no, kind, text, importance, embedding)
        VALUES (${id}, 'x', 1, 'event', ${id}, 1, ${`{${embedding.join(',')}}`}::real[])`,
  );
}

// PGlite only: it is the database here that has pgvector.
describe('pgvector migration outside the extension schema [pglite]', () => {
  let opened: OpenedDb;
  beforeAll(async () => {
    opened = await openDatabase({ dataDir: ':memory:', poolSize: 1 }); // extension now lives in public
  });
  afterAll(async () => {
    await opened.close();
  });

  it('sets up a schema that cannot see the extension by name (public not on search_path)', async () => {
    await opened.db.execute(sql`CREATE SCHEMA iso`);
    await opened.db.execute(sql`SET search_path TO iso`);
    await applyFile(opened, '0000_init.sql');
    await applyFile(opened, '0001_pgvector_when_available.sql');
    await applyFile(opened, '0002_turn_usage_and_trace.sql');
    await applyFile(opened, '0003_memory_control_and_cards.sql');
    await insertMemory(opened, 'a', unit(0));
    await insertMemory(opened, 'b', unit(1));
    await insertMemory(opened, 'wrong-size', [1, 2]);
    const rows = await queryRows<{ id: string; has_vec: boolean }>(
      opened.db,
      sql`SELECT id, embedding_vec IS NOT NULL AS has_vec FROM iso.memories ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'a', has_vec: true },
      { id: 'b', has_vec: true },
      { id: 'wrong-size', has_vec: false },
    ]);
    const hits = await createMemoryRepo(opened.db, { schema: 'public' }).search('x', unit(1), 1);
    expect(hits.map((m) => m.id)).toEqual(['b']);
  });

  it('adds the vector column at start when pgvector appeared after the first migration', async () => {
    await opened.db.execute(sql`CREATE SCHEMA late`);
    await opened.db.execute(sql`SET search_path TO late`);
    await applyFile(opened, '0000_init.sql'); // as if 0001 had run on a server without pgvector
    await insertMemory(opened, 'old', unit(2));
    const pgvector = await migrateAndDetectVector(opened.db, async () => undefined);
    expect(pgvector).toEqual({ schema: 'public' });
    const [row] = await queryRows<{ has_vec: boolean }>(opened.db, sql`SELECT embedding_vec IS NOT NULL AS has_vec FROM late.memories`);
    expect(row?.has_vec).toBe(true); // backfilled
    await opened.db.execute(sql`SET search_path TO public`);
  });
});
