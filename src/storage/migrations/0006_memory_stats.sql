CREATE TABLE "memory_stats" (
	"session_id" text PRIMARY KEY NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL,
	"row_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memory_stats" ADD CONSTRAINT "memory_stats_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "memories_session_updated_idx" ON "memories" USING btree ("session_id","updated_at");--> statement-breakpoint
CREATE INDEX "memories_session_pinned_idx" ON "memories" USING btree ("session_id") WHERE pinned;--> statement-breakpoint
-- memory_stats is kept by statement-level triggers with transition tables: one upsert per
-- statement and session, however many rows the statement wrote (a bulk import of 100k memories
-- costs one update, not 100k). The table name is qualified with this schema when the function is
-- created, because triggers run with the caller's search_path.
DO $migrate$
BEGIN
  EXECUTE format($f$
    CREATE OR REPLACE FUNCTION %1$I.memory_stats_track() RETURNS trigger
    LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        UPDATE %1$I.memory_stats AS st
           SET revision = st.revision + 1, row_count = st.row_count - d.n
          FROM (SELECT session_id, count(*)::int AS n FROM old_rows GROUP BY session_id) AS d
         WHERE st.session_id = d.session_id;
      ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO %1$I.memory_stats AS st (session_id, revision, row_count)
          SELECT session_id, 1, count(*)::int FROM new_rows GROUP BY session_id
          ON CONFLICT (session_id) DO UPDATE SET revision = st.revision + 1, row_count = st.row_count + EXCLUDED.row_count;
      ELSE
        INSERT INTO %1$I.memory_stats AS st (session_id, revision, row_count)
          SELECT session_id, 1, sum(n)::int
            FROM (SELECT session_id, 1 AS n FROM new_rows UNION ALL SELECT session_id, -1 FROM old_rows) AS c
           GROUP BY session_id
          ON CONFLICT (session_id) DO UPDATE SET revision = st.revision + 1, row_count = st.row_count + EXCLUDED.row_count;
      END IF;
      RETURN NULL;
    END
    $fn$
  $f$, current_schema());
  EXECUTE format('CREATE TRIGGER memories_stats_insert AFTER INSERT ON %1$I.memories REFERENCING NEW TABLE AS new_rows '
    'FOR EACH STATEMENT EXECUTE FUNCTION %1$I.memory_stats_track()', current_schema());
  EXECUTE format('CREATE TRIGGER memories_stats_update AFTER UPDATE ON %1$I.memories REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
    'FOR EACH STATEMENT EXECUTE FUNCTION %1$I.memory_stats_track()', current_schema());
  EXECUTE format('CREATE TRIGGER memories_stats_delete AFTER DELETE ON %1$I.memories REFERENCING OLD TABLE AS old_rows '
    'FOR EACH STATEMENT EXECUTE FUNCTION %1$I.memory_stats_track()', current_schema());
  EXECUTE format('INSERT INTO %1$I.memory_stats (session_id, revision, row_count) '
    'SELECT session_id, 1, count(*)::int FROM %1$I.memories GROUP BY session_id', current_schema());
END
$migrate$;
