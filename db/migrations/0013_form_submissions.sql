CREATE TABLE "form_submissions" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"token" text NOT NULL,
	"actor_id" text NOT NULL,
	"path" text NOT NULL,
	"state" text NOT NULL,
	"location" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "form_submissions_council_id_token_pk" PRIMARY KEY("council_id","token")
);
--> statement-breakpoint
ALTER TABLE "form_submissions" ADD CONSTRAINT "form_submissions_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "form_submissions_created" ON "form_submissions" USING btree ("council_id","created_at");--> statement-breakpoint
-- Hand-written from here (docs/tenancy.md): the council's rows only, as on every table.
ALTER TABLE "form_submissions" ADD CONSTRAINT "form_submissions_state" CHECK ("state" in ('pending', 'done', 'failed'));
--> statement-breakpoint
ALTER TABLE "form_submissions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON form_submissions
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
