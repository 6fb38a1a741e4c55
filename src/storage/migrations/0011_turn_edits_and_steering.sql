ALTER TABLE "sessions" ADD COLUMN "steering" jsonb;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "original_response" text;