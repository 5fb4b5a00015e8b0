CREATE TABLE "email_messages" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"id" text NOT NULL,
	"outbox_id" text NOT NULL,
	"purpose" text NOT NULL,
	"source_id" text NOT NULL,
	"fund_code" text,
	"template_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"notify_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_messages_council_id_id_pk" PRIMARY KEY("council_id","id"),
	CONSTRAINT "email_messages_outbox_purpose" UNIQUE("council_id","outbox_id","purpose"),
	CONSTRAINT "email_message_status" CHECK ("email_messages"."status" in ('pending', 'sending', 'delivered', 'permanent-failure', 'temporary-failure', 'technical-failure', 'failed', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "notify_templates" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"purpose" text NOT NULL,
	"fund_code" text DEFAULT '' NOT NULL,
	"template_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notify_templates_council_id_purpose_fund_code_pk" PRIMARY KEY("council_id","purpose","fund_code"),
	CONSTRAINT "notify_template_purpose" CHECK ("notify_templates"."purpose" in ('payment_receipt', 'refund_confirmation', 'ereturn_voided'))
);
--> statement-breakpoint
CREATE TABLE "payer_contacts" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"source_id" text NOT NULL,
	"sealed_email" text NOT NULL,
	"captured_from" text NOT NULL,
	"erase_after" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payer_contacts_council_id_source_id_pk" PRIMARY KEY("council_id","source_id"),
	CONSTRAINT "payer_contact_captured_from" CHECK ("payer_contacts"."captured_from" in ('api', 'psp', 'staff'))
);
--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_council_id_outbox_id_outbox_council_id_id_fk" FOREIGN KEY ("council_id","outbox_id") REFERENCES "public"."outbox"("council_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify_templates" ADD CONSTRAINT "notify_templates_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payer_contacts" ADD CONSTRAINT "payer_contacts_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_messages_status" ON "email_messages" USING btree ("council_id","status","id");--> statement-breakpoint
CREATE INDEX "email_messages_notify_id" ON "email_messages" USING btree ("notify_id");--> statement-breakpoint
CREATE INDEX "payer_contacts_erase_after" ON "payer_contacts" USING btree ("erase_after");--> statement-breakpoint
-- Hand-written from here (docs/tenancy.md): the council's rows only, as on every table.
ALTER TABLE "payer_contacts" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON payer_contacts
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
ALTER TABLE "notify_templates" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON notify_templates
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
ALTER TABLE "email_messages" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON email_messages
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
