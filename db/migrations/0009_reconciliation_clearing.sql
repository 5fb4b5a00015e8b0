CREATE TABLE "reconciliation_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bank_matches" ADD COLUMN "run_id" text;--> statement-breakpoint
ALTER TABLE "bank_matches" ADD COLUMN "clearing_journal_id" text;--> statement-breakpoint
ALTER TABLE "bank_matches" ADD COLUMN "clearing_reversal_journal_id" text;--> statement-breakpoint
ALTER TABLE "closed_days" ADD COLUMN "gl_layout" jsonb;--> statement-breakpoint
ALTER TABLE "psp_settlements" ADD COLUMN "refund_count" integer;--> statement-breakpoint
CREATE INDEX "bank_matches_run" ON "bank_matches" USING btree ("run_id");