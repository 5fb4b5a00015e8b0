CREATE TABLE "cash_return_templates" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"id" text NOT NULL,
	"office_code" text NOT NULL,
	"name" text NOT NULL,
	"fund_codes" text[] NOT NULL,
	"actor_ids" text[] NOT NULL,
	"closes_at" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cash_return_templates_council_id_id_pk" PRIMARY KEY("council_id","id"),
	CONSTRAINT "cash_return_closes_at" CHECK ("cash_return_templates"."closes_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
CREATE TABLE "cash_returns" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"id" text NOT NULL,
	"template_id" text NOT NULL,
	"office_code" text NOT NULL,
	"cashier" text NOT NULL,
	"business_date" date NOT NULL,
	"state" text NOT NULL,
	"bags" jsonb NOT NULL,
	"cheques" jsonb NOT NULL,
	"explanation" text,
	"notes" jsonb NOT NULL,
	"expected_cash_pence" bigint,
	"expected_cheque_pence" bigint,
	"declared_cash_pence" bigint,
	"declared_cheque_pence" bigint,
	"over_short_pence" bigint,
	"submission_count" integer DEFAULT 0 NOT NULL,
	"submitted_at" timestamp with time zone,
	"decided_by" text,
	"decision_reason" text,
	"approved_at" timestamp with time zone,
	"over_short_journal_id" text,
	"void_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cash_returns_council_id_id_pk" PRIMARY KEY("council_id","id")
);
--> statement-breakpoint
CREATE TABLE "cashier_assignments" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"actor_id" text NOT NULL,
	"office_code" text NOT NULL,
	"method_of_payment_codes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cashier_assignments_council_id_actor_id_pk" PRIMARY KEY("council_id","actor_id")
);
--> statement-breakpoint
CREATE TABLE "counter_payment_lines" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"counter_payment_id" text NOT NULL,
	"line_no" smallint NOT NULL,
	"fund_code" text NOT NULL,
	"reference" text NOT NULL,
	"amount_pence" bigint NOT NULL,
	"vat_code" text NOT NULL,
	"vat_pence" bigint NOT NULL,
	"narrative" text,
	CONSTRAINT "counter_payment_lines_council_id_counter_payment_id_line_no_pk" PRIMARY KEY("council_id","counter_payment_id","line_no"),
	CONSTRAINT "counter_line_amount_not_zero" CHECK ("counter_payment_lines"."amount_pence" <> 0)
);
--> statement-breakpoint
CREATE TABLE "counter_payments" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"id" text NOT NULL,
	"idempotency_key" text,
	"request_hash" text NOT NULL,
	"office_code" text NOT NULL,
	"receipt_no" integer NOT NULL,
	"cashier" text NOT NULL,
	"method_of_payment_code" text NOT NULL,
	"tender_kind" text NOT NULL,
	"amount_pence" bigint NOT NULL,
	"tendered_pence" bigint,
	"change_pence" bigint,
	"cheque_drawer" text,
	"cheque_sort_code" text,
	"cheque_number" text,
	"pdq_auth_code" text,
	"business_date" date NOT NULL,
	"state" text NOT NULL,
	"journal_id" text NOT NULL,
	"void_journal_id" text,
	"void_reason" text,
	"voided_by" text,
	"voided_at" timestamp with time zone,
	"reprint_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "counter_payments_council_id_id_pk" PRIMARY KEY("council_id","id"),
	CONSTRAINT "counter_payment_amount_not_negative" CHECK ("counter_payments"."amount_pence" >= 0),
	CONSTRAINT "counter_payment_void_complete" CHECK (("counter_payments"."state" = 'voided') = ("counter_payments"."void_journal_id" is not null and "counter_payments"."void_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "receipt_counters" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"office_code" text NOT NULL,
	"last_receipt_no" integer NOT NULL,
	CONSTRAINT "receipt_counters_council_id_office_code_pk" PRIMARY KEY("council_id","office_code")
);
--> statement-breakpoint
ALTER TABLE "cash_return_templates" ADD CONSTRAINT "cash_return_templates_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cash_return_templates" ADD CONSTRAINT "cash_return_templates_council_id_office_code_offices_council_id_code_fk" FOREIGN KEY ("council_id","office_code") REFERENCES "public"."offices"("council_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cash_returns" ADD CONSTRAINT "cash_returns_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cash_returns" ADD CONSTRAINT "cash_returns_council_id_template_id_cash_return_templates_council_id_id_fk" FOREIGN KEY ("council_id","template_id") REFERENCES "public"."cash_return_templates"("council_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cash_returns" ADD CONSTRAINT "cash_returns_council_id_office_code_offices_council_id_code_fk" FOREIGN KEY ("council_id","office_code") REFERENCES "public"."offices"("council_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cashier_assignments" ADD CONSTRAINT "cashier_assignments_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cashier_assignments" ADD CONSTRAINT "cashier_assignments_council_id_office_code_offices_council_id_code_fk" FOREIGN KEY ("council_id","office_code") REFERENCES "public"."offices"("council_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_payment_lines" ADD CONSTRAINT "counter_payment_lines_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_payment_lines" ADD CONSTRAINT "counter_payment_lines_council_id_counter_payment_id_counter_payments_council_id_id_fk" FOREIGN KEY ("council_id","counter_payment_id") REFERENCES "public"."counter_payments"("council_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_payment_lines" ADD CONSTRAINT "counter_payment_lines_council_id_fund_code_funds_council_id_code_fk" FOREIGN KEY ("council_id","fund_code") REFERENCES "public"."funds"("council_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_payment_lines" ADD CONSTRAINT "counter_payment_lines_council_id_vat_code_vat_codes_council_id_code_fk" FOREIGN KEY ("council_id","vat_code") REFERENCES "public"."vat_codes"("council_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_payments" ADD CONSTRAINT "counter_payments_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_payments" ADD CONSTRAINT "counter_payments_council_id_office_code_offices_council_id_code_fk" FOREIGN KEY ("council_id","office_code") REFERENCES "public"."offices"("council_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_payments" ADD CONSTRAINT "counter_payments_council_id_method_of_payment_code_methods_of_payment_council_id_code_fk" FOREIGN KEY ("council_id","method_of_payment_code") REFERENCES "public"."methods_of_payment"("council_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_counters" ADD CONSTRAINT "receipt_counters_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_counters" ADD CONSTRAINT "receipt_counters_council_id_office_code_offices_council_id_code_fk" FOREIGN KEY ("council_id","office_code") REFERENCES "public"."offices"("council_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cash_returns_one_live" ON "cash_returns" USING btree ("council_id","office_code","cashier","business_date") WHERE "cash_returns"."state" <> 'voided';--> statement-breakpoint
CREATE INDEX "cash_returns_state" ON "cash_returns" USING btree ("council_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "counter_payments_receipt" ON "counter_payments" USING btree ("council_id","office_code","receipt_no");--> statement-breakpoint
CREATE UNIQUE INDEX "counter_payments_idempotency_key" ON "counter_payments" USING btree ("council_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "counter_payments_day" ON "counter_payments" USING btree ("council_id","business_date","office_code","cashier");--> statement-breakpoint
-- Hand-written from here (docs/tenancy.md): the council's rows only, as on every table.
ALTER TABLE "cashier_assignments" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON cashier_assignments
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
ALTER TABLE "receipt_counters" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON receipt_counters
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
ALTER TABLE "counter_payments" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON counter_payments
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
ALTER TABLE "counter_payment_lines" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON counter_payment_lines
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
ALTER TABLE "cash_return_templates" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON cash_return_templates
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
ALTER TABLE "cash_returns" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON cash_returns
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
-- Counter payment lines are history: a mistake is voided (a reversal), never edited.
CREATE TRIGGER counter_payment_lines_append_only BEFORE UPDATE OR DELETE ON counter_payment_lines
  FOR EACH ROW EXECUTE FUNCTION ims_refuse_change();
--> statement-breakpoint
-- The control accounts the cash desk posts to, for every council that has a ledger already
-- (onboarding gives new councils them from domain/ledgerAccounts.ts).
INSERT INTO ledger_accounts (council_id, code, kind, name)
SELECT council_id, 'CTRL:CASH_OVER_SHORT', 'control', 'Cash over and short'
  FROM ledger_accounts WHERE code = 'CTRL:CASH';
--> statement-breakpoint
INSERT INTO ledger_accounts (council_id, code, kind, name)
SELECT council_id, 'CTRL:PDQ_CLEARING', 'control', 'Card-present (PDQ) takings awaiting the acquirer'
  FROM ledger_accounts WHERE code = 'CTRL:CASH';
