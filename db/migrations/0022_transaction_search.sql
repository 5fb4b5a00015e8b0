ALTER TABLE "import_rules" ADD COLUMN "profile_id" text;--> statement-breakpoint
ALTER TABLE "postings" ADD COLUMN "source_line_no" integer;--> statement-breakpoint
ALTER TABLE "postings" ADD COLUMN "amount_pence" bigint GENERATED ALWAYS AS (debit_pence + credit_pence + vat_pence) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "card_first_digits" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "card_last_digits" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "card_brand" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "card_expiry_date" text;--> statement-breakpoint
CREATE INDEX "journals_council_source" ON "journals" USING btree ("council_id","source_type","source_id");--> statement-breakpoint
CREATE INDEX "journals_caused_by" ON "journals" USING btree ("council_id","caused_by");--> statement-breakpoint
CREATE INDEX "postings_recorded" ON "postings" USING btree ("council_id","created_at","journal_id","line_no");--> statement-breakpoint
CREATE INDEX "postings_amount" ON "postings" USING btree ("council_id","amount_pence","created_at","journal_id","line_no");--> statement-breakpoint
CREATE INDEX "postings_reference" ON "postings" USING btree ("council_id","account_reference","created_at","journal_id","line_no");--> statement-breakpoint
CREATE INDEX "payments_card_last_digits" ON "payments" USING btree ("council_id","card_last_digits");--> statement-breakpoint
CREATE INDEX "payments_created_by" ON "payments" USING btree ("council_id","created_by");--> statement-breakpoint
CREATE INDEX "payments_journal" ON "payments" USING btree ("council_id","journal_id");--> statement-breakpoint
CREATE INDEX "payments_method_office" ON "payments" USING btree ("council_id","method_of_payment_code","office_code");