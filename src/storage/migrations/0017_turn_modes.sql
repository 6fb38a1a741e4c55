CREATE TABLE "session_actions" (
	"task_id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"user_id" text NOT NULL,
	"input" text NOT NULL,
	"action" text NOT NULL,
	"seq" bigserial NOT NULL,
	"state" text DEFAULT 'waiting' NOT NULL,
	"turn_task_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "turn_mode" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "round" jsonb;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "vote_deadline" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session_actions" ADD CONSTRAINT "session_actions_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "session_actions_waiting_idx" ON "session_actions" USING btree ("session_id","state","seq");--> statement-breakpoint
-- Hand-written: sessions that already have members are shared, so their turns are free (queued) from now on.
UPDATE "sessions" SET "turn_mode" = 'free' WHERE "turn_mode" IS NULL AND EXISTS (SELECT 1 FROM "session_members" m WHERE m."session_id" = "sessions"."id");
