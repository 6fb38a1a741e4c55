CREATE TABLE "cards" (
	"id" text PRIMARY KEY NOT NULL,
	"story_id" text,
	"session_id" text,
	"name" text NOT NULL,
	"keywords" jsonb NOT NULL,
	"text" text NOT NULL,
	"embedding" real[] NOT NULL,
	"embedding_model" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cards_scope_ck" CHECK ((story_id IS NULL) <> (session_id IS NULL))
);
--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "embedding_model" text;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "pinned" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_story_id_stories_id_fk" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cards_story_id_idx" ON "cards" USING btree ("story_id");--> statement-breakpoint
CREATE INDEX "cards_session_id_idx" ON "cards" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "memories_summary_uq" ON "memories" USING btree ("session_id","turn_no") WHERE kind = 'summary';