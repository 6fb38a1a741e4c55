-- Custom SQL migration file, put your code below! --
-- pgvector is optional: without it (e.g. Debian's PostgreSQL) this migration succeeds and does
-- nothing, and memory search runs in JS over memories.embedding (real[]). With it, a vector copy
-- of the embedding is kept by a trigger and indexed with HNSW. Everything runs through EXECUTE
-- so the file parses on a server that has no `vector` type. Type, opclass and function names are
-- qualified with the extension's schema, because the extension is database-wide and may live in a
-- schema that is not on search_path (another test schema, or Supabase's `extensions`).
-- Idempotent: src/storage/db.ts re-runs it at start when pgvector appears after the first migration.
DO $migrate$
DECLARE
  ext_schema text;
  tbl text := format('%I.memories', current_schema());
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    RAISE NOTICE 'pgvector is not available: memory search will be computed in the application';
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
    BEGIN
      EXECUTE 'CREATE EXTENSION IF NOT EXISTS vector';
    EXCEPTION WHEN insufficient_privilege THEN
      -- A managed database may list the extension but not let this role create it.
      RAISE NOTICE 'pgvector is available but this role cannot create it; skipping';
      RETURN;
    END;
  END IF;
  SELECT n.nspname INTO ext_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
   WHERE e.extname = 'vector';

  EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS embedding_vec %I.vector(256)', tbl, ext_schema);

  -- Embeddings of another size, or all zeros (cosine undefined), get no vector: the search skips
  -- them in both modes, so pgvector and the portable path return the same memories.
  EXECUTE format($f$
    CREATE OR REPLACE FUNCTION %I.memories_sync_embedding_vec() RETURNS trigger
    LANGUAGE plpgsql AS $fn$
    BEGIN
      IF NEW.embedding IS NULL OR cardinality(NEW.embedding) <> 256 THEN
        NEW.embedding_vec := NULL;
      ELSE
        NEW.embedding_vec := NEW.embedding::%I.vector(256);
        IF %I.vector_norm(NEW.embedding_vec) = 0 THEN
          NEW.embedding_vec := NULL;
        END IF;
      END IF;
      RETURN NEW;
    END
    $fn$
  $f$, current_schema(), ext_schema, ext_schema);

  EXECUTE format('DROP TRIGGER IF EXISTS memories_sync_embedding_vec ON %s', tbl);
  EXECUTE format(
    'CREATE TRIGGER memories_sync_embedding_vec BEFORE INSERT OR UPDATE ON %s '
    'FOR EACH ROW EXECUTE FUNCTION %I.memories_sync_embedding_vec()', tbl, current_schema());
  -- Backfill rows written before pgvector was installed (a no-op on a fresh database).
  EXECUTE format('UPDATE %s SET embedding = embedding WHERE embedding_vec IS NULL', tbl);
  EXECUTE format(
    'CREATE INDEX IF NOT EXISTS memories_embedding_vec_hnsw ON %s USING hnsw (embedding_vec %I.vector_cosine_ops)',
    tbl, ext_schema);
END
$migrate$;
