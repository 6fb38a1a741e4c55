-- What compiled a story's current version (a hash of its source and of the compiler): installing
-- the same source again, as every web process does with the shipped stories at start, then skips
-- the compile (src/domain/stories.ts). Null on existing rows: they compile once more and get it.
ALTER TABLE "stories" ADD COLUMN "source_key" text;
