ALTER TABLE "sessions" ADD COLUMN "upgraded_at_turn" integer;--> statement-breakpoint
ALTER TABLE "story_versions" ADD COLUMN "version_no" integer;--> statement-breakpoint
UPDATE "story_versions" AS v SET "version_no" = n.no FROM (SELECT "story_id", "hash", row_number() OVER (PARTITION BY "story_id" ORDER BY "created_at", "hash")::integer AS no FROM "story_versions") AS n WHERE v."story_id" = n."story_id" AND v."hash" = n."hash";--> statement-breakpoint
ALTER TABLE "story_versions" ALTER COLUMN "version_no" SET NOT NULL;
