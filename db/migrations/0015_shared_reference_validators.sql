CREATE TABLE "reference_validators" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"validator" jsonb NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reference_validators_council_id_code_pk" PRIMARY KEY("council_id","code")
);
--> statement-breakpoint
ALTER TABLE "funds" ADD COLUMN "validator_code" text;--> statement-breakpoint
ALTER TABLE "reference_validators" ADD CONSTRAINT "reference_validators_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funds" ADD CONSTRAINT "funds_council_id_validator_code_reference_validators_council_id_code_fk" FOREIGN KEY ("council_id","validator_code") REFERENCES "public"."reference_validators"("council_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "funds_validator_code" ON "funds" USING btree ("council_id","validator_code");--> statement-breakpoint
-- Hand-written from here (docs/tenancy.md): the council's rows only, as on every table.
ALTER TABLE "reference_validators" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON reference_validators
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
