ALTER TABLE "turns" ADD COLUMN "usage" jsonb;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "cost_usd" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "trace" jsonb;