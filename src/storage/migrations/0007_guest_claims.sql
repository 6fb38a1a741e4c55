CREATE TABLE "guest_claims" (
	"guest_id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"sessions" integer NOT NULL,
	"stories" integer NOT NULL,
	"api_keys" integer NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL
);
