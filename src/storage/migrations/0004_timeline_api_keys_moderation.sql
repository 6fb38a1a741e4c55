CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_uq" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "suspended_users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"suspended_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "turns" DROP CONSTRAINT "turns_session_turn_uq";--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "forked_from" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "forked_at_turn" integer;--> statement-breakpoint
ALTER TABLE "stories" ADD COLUMN "visibility" text DEFAULT 'private' NOT NULL;--> statement-breakpoint
ALTER TABLE "stories" ADD COLUMN "hidden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "state" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "trace_id" text;--> statement-breakpoint
CREATE INDEX "api_keys_owner_id_idx" ON "api_keys" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "turns_session_turn_active_uq" ON "turns" USING btree ("session_id","turn_no") WHERE state = 'active';--> statement-breakpoint
CREATE INDEX "turns_session_turn_idx" ON "turns" USING btree ("session_id","turn_no");--> statement-breakpoint
UPDATE "stories" SET "visibility" = 'public' WHERE "owner_id" IS NULL;
