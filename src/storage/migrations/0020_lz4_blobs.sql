-- Custom SQL migration file, put your code below! --
-- A turn's trace and recording (turns.trace_gz, turns.recording) were compressed with brotli by
-- the worker, which cost it ~0.2 ms of CPU per blob on the hot path (measured inside the running
-- worker; bench/README.md). Where the server can compress with lz4, it does that instead for
-- ~10 µs: the columns go back to TOAST compression, with lz4, and the worker sends the JSON as
-- is (src/storage/repos/packed-json.ts; rows written before keep their brotli or gzip bytes and
-- still read). PGlite and servers built without lz4 refuse the change as a whole, so the columns
-- stay as they were (stored as given) and the worker keeps compressing: src/storage/db.ts reads
-- which it is from the catalog at start.
DO $migrate$
BEGIN
  ALTER TABLE "turns"
    ALTER COLUMN "trace_gz" SET STORAGE EXTENDED,
    ALTER COLUMN "trace_gz" SET COMPRESSION lz4,
    ALTER COLUMN "recording" SET STORAGE EXTENDED,
    ALTER COLUMN "recording" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available (%): the process compresses traces and recordings itself', SQLERRM;
END
$migrate$;
