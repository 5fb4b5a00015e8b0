CREATE TABLE "psp_credentials" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"kind" text NOT NULL,
	"fund_code" text DEFAULT '' NOT NULL,
	"sealed_secret" text NOT NULL,
	"hint" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "psp_credentials_council_id_kind_fund_code_pk" PRIMARY KEY("council_id","kind","fund_code"),
	CONSTRAINT "psp_credential_kind" CHECK ("psp_credentials"."kind" in ('api_key', 'webhook_secret')),
	CONSTRAINT "psp_webhook_secret_council_wide" CHECK ("psp_credentials"."kind" = 'api_key' or "psp_credentials"."fund_code" = '')
);
--> statement-breakpoint
ALTER TABLE "psp_credentials" ADD CONSTRAINT "psp_credentials_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written from here (docs/tenancy.md): the council's rows only, as on every table.
ALTER TABLE "psp_credentials" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON psp_credentials
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
