ALTER TABLE "turns" ADD COLUMN "trace_gz" "bytea";--> statement-breakpoint
-- Both columns hold gzipped bytes: TOAST is told not to try compressing them again (it would
-- fail, after spending the CPU; measured ~30 µs a turn for the recording alone).
ALTER TABLE "turns" ALTER COLUMN "trace_gz" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "turns" ALTER COLUMN "recording" SET STORAGE EXTERNAL;
