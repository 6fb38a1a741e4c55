ALTER TABLE "memories" ADD COLUMN "origin" text DEFAULT 'player' NOT NULL;--> statement-breakpoint
-- Rows written before origins were recorded: rolling summaries are written by turns; anything
-- else may have come from the player, and stays put (does not follow undo).
UPDATE "memories" SET "origin" = 'turn' WHERE "kind" = 'summary';
