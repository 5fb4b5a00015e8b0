-- Many councils on one deployment (docs/tenancy.md). Every table gains council_id, filled by the
-- database from the connection's ims.council_id setting; keys and foreign keys become
-- council-first, so two councils can use the same fund codes and references and a row can never
-- point at another council's row. Existing rows belong to the `default` council.
CREATE TABLE "councils" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "council_id_format" CHECK ("councils"."id" ~ '^[a-z][a-z0-9-]{1,39}$')
);
--> statement-breakpoint
INSERT INTO "councils" ("id", "name") VALUES ('default', 'Default council');
--> statement-breakpoint
ALTER TABLE "bank_exceptions" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "bank_matches" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "fund_group_members" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "fund_groups" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "funds" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "import_rules" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "methods_of_payment" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "offices" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "reference_routes" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "vat_codes" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "import_chunks" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "import_errors" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "import_profiles" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "import_staged_rows" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "suspense_items" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "journals" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "postings" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "payment_events" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "payment_lines" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "probe_runs" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "seed_runs" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "closed_days" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "psp_settlements" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "reconciliation_settings" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "bank_payments" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "suspense_allocations" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "suspense_events" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "suspense_work" ADD COLUMN "council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL;
--> statement-breakpoint
ALTER TABLE "bank_exceptions" DROP CONSTRAINT "bank_exceptions_exception_key_unique";
--> statement-breakpoint
ALTER TABLE "bank_statement_lines" DROP CONSTRAINT "bank_statement_lines_import_line";
--> statement-breakpoint
ALTER TABLE "imports" DROP CONSTRAINT "imports_content_sha256_unique";
--> statement-breakpoint
ALTER TABLE "journals" DROP CONSTRAINT "journals_idempotency_key_unique";
--> statement-breakpoint
ALTER TABLE "journals" DROP CONSTRAINT "journals_reverses_journal_id_unique";
--> statement-breakpoint
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_dedupe_key_unique";
--> statement-breakpoint
ALTER TABLE "payment_events" DROP CONSTRAINT "payment_events_dedupe_key_unique";
--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_idempotency_key_unique";
--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_psp_payment_id_unique";
--> statement-breakpoint
ALTER TABLE "bank_payments" DROP CONSTRAINT "bank_payments_refund_id_unique";
--> statement-breakpoint
ALTER TABLE "refunds" DROP CONSTRAINT "refunds_idempotency_key_unique";
--> statement-breakpoint
ALTER TABLE "suspense_events" DROP CONSTRAINT "suspense_events_dedupe_key_unique";
--> statement-breakpoint
ALTER TABLE "bank_statement_lines" DROP CONSTRAINT "bank_statement_lines_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "account_holders" DROP CONSTRAINT "account_holders_fund_code_funds_code_fk";
--> statement-breakpoint
ALTER TABLE "fund_group_members" DROP CONSTRAINT "fund_group_members_group_code_fund_groups_code_fk";
--> statement-breakpoint
ALTER TABLE "fund_group_members" DROP CONSTRAINT "fund_group_members_fund_code_funds_code_fk";
--> statement-breakpoint
ALTER TABLE "funds" DROP CONSTRAINT "funds_vat_code_vat_codes_code_fk";
--> statement-breakpoint
ALTER TABLE "reference_routes" DROP CONSTRAINT "reference_routes_fund_code_funds_code_fk";
--> statement-breakpoint
ALTER TABLE "sessions" DROP CONSTRAINT "sessions_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "import_chunks" DROP CONSTRAINT "import_chunks_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "import_errors" DROP CONSTRAINT "import_errors_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "imports" DROP CONSTRAINT "imports_profile_id_import_profiles_id_fk";
--> statement-breakpoint
ALTER TABLE "ledger_accounts" DROP CONSTRAINT "ledger_accounts_fund_code_funds_code_fk";
--> statement-breakpoint
ALTER TABLE "postings" DROP CONSTRAINT "postings_journal_id_journals_id_fk";
--> statement-breakpoint
ALTER TABLE "postings" DROP CONSTRAINT "postings_account_code_ledger_accounts_code_fk";
--> statement-breakpoint
ALTER TABLE "postings" DROP CONSTRAINT "postings_vat_code_vat_codes_code_fk";
--> statement-breakpoint
ALTER TABLE "payment_events" DROP CONSTRAINT "payment_events_payment_id_payments_id_fk";
--> statement-breakpoint
ALTER TABLE "payment_lines" DROP CONSTRAINT "payment_lines_payment_id_payments_id_fk";
--> statement-breakpoint
ALTER TABLE "payment_lines" DROP CONSTRAINT "payment_lines_fund_code_funds_code_fk";
--> statement-breakpoint
ALTER TABLE "payment_lines" DROP CONSTRAINT "payment_lines_vat_code_vat_codes_code_fk";
--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_method_of_payment_code_methods_of_payment_code_fk";
--> statement-breakpoint
ALTER TABLE "bank_payments" DROP CONSTRAINT "bank_payments_refund_id_refunds_id_fk";
--> statement-breakpoint
ALTER TABLE "suspense_allocations" DROP CONSTRAINT "suspense_allocations_suspense_id_suspense_items_id_fk";
--> statement-breakpoint
ALTER TABLE "suspense_events" DROP CONSTRAINT "suspense_events_suspense_id_suspense_items_id_fk";
--> statement-breakpoint
ALTER TABLE "suspense_work" DROP CONSTRAINT "suspense_work_suspense_id_suspense_items_id_fk";
--> statement-breakpoint
DROP INDEX "one_suspense_fund";
--> statement-breakpoint
DROP INDEX "import_rules_position";
--> statement-breakpoint
DROP INDEX "users_username";
--> statement-breakpoint
DROP INDEX "users_oidc";
--> statement-breakpoint
DROP INDEX "imports_created_at";
--> statement-breakpoint
DROP INDEX "suspense_items_state";
--> statement-breakpoint
DROP INDEX "journals_posting_date";
--> statement-breakpoint
DROP INDEX "ledger_account_per_fund";
--> statement-breakpoint
DROP INDEX "postings_account_reference";
--> statement-breakpoint
DROP INDEX "payment_lines_reference";
--> statement-breakpoint
DROP INDEX "payments_state";
--> statement-breakpoint
DROP INDEX "payments_created_at";
--> statement-breakpoint
DROP INDEX "refunds_state";
--> statement-breakpoint
DROP INDEX "refunds_one_submitting_per_source";
--> statement-breakpoint
DROP INDEX "suspense_allocations_update";
--> statement-breakpoint
DROP INDEX "suspense_work_overdue";
--> statement-breakpoint
ALTER TABLE "account_holders" DROP CONSTRAINT "account_holders_fund_code_reference_pk";
--> statement-breakpoint
ALTER TABLE "fund_group_members" DROP CONSTRAINT "fund_group_members_group_code_fund_code_pk";
--> statement-breakpoint
ALTER TABLE "import_chunks" DROP CONSTRAINT "import_chunks_import_id_chunk_no_pk";
--> statement-breakpoint
ALTER TABLE "import_errors" DROP CONSTRAINT "import_errors_import_id_seq_pk";
--> statement-breakpoint
ALTER TABLE "import_staged_rows" DROP CONSTRAINT "import_staged_rows_import_id_line_no_pk";
--> statement-breakpoint
ALTER TABLE "postings" DROP CONSTRAINT "postings_journal_id_line_no_pk";
--> statement-breakpoint
ALTER TABLE "payment_lines" DROP CONSTRAINT "payment_lines_payment_id_line_no_pk";
--> statement-breakpoint
ALTER TABLE "fund_groups" DROP CONSTRAINT "fund_groups_pkey";
--> statement-breakpoint
ALTER TABLE "funds" DROP CONSTRAINT "funds_pkey";
--> statement-breakpoint
ALTER TABLE "import_rules" DROP CONSTRAINT "import_rules_pkey";
--> statement-breakpoint
ALTER TABLE "methods_of_payment" DROP CONSTRAINT "methods_of_payment_pkey";
--> statement-breakpoint
ALTER TABLE "offices" DROP CONSTRAINT "offices_pkey";
--> statement-breakpoint
ALTER TABLE "reference_routes" DROP CONSTRAINT "reference_routes_pkey";
--> statement-breakpoint
ALTER TABLE "vat_codes" DROP CONSTRAINT "vat_codes_pkey";
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_pkey";
--> statement-breakpoint
ALTER TABLE "import_profiles" DROP CONSTRAINT "import_profiles_pkey";
--> statement-breakpoint
ALTER TABLE "imports" DROP CONSTRAINT "imports_pkey";
--> statement-breakpoint
ALTER TABLE "suspense_items" DROP CONSTRAINT "suspense_items_pkey";
--> statement-breakpoint
ALTER TABLE "journals" DROP CONSTRAINT "journals_pkey";
--> statement-breakpoint
ALTER TABLE "ledger_accounts" DROP CONSTRAINT "ledger_accounts_pkey";
--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_pkey";
--> statement-breakpoint
ALTER TABLE "seed_runs" DROP CONSTRAINT "seed_runs_pkey";
--> statement-breakpoint
ALTER TABLE "closed_days" DROP CONSTRAINT "closed_days_pkey";
--> statement-breakpoint
ALTER TABLE "psp_settlements" DROP CONSTRAINT "psp_settlements_pkey";
--> statement-breakpoint
ALTER TABLE "reconciliation_settings" DROP CONSTRAINT "reconciliation_settings_pkey";
--> statement-breakpoint
ALTER TABLE "refunds" DROP CONSTRAINT "refunds_pkey";
--> statement-breakpoint
ALTER TABLE "suspense_work" DROP CONSTRAINT "suspense_work_pkey";
--> statement-breakpoint
ALTER TABLE "account_holders" ADD CONSTRAINT "account_holders_council_id_fund_code_reference_pk" PRIMARY KEY("council_id","fund_code","reference");
--> statement-breakpoint
ALTER TABLE "fund_group_members" ADD CONSTRAINT "fund_group_members_council_id_group_code_fund_code_pk" PRIMARY KEY("council_id","group_code","fund_code");
--> statement-breakpoint
ALTER TABLE "fund_groups" ADD CONSTRAINT "fund_groups_council_id_code_pk" PRIMARY KEY("council_id","code");
--> statement-breakpoint
ALTER TABLE "funds" ADD CONSTRAINT "funds_council_id_code_pk" PRIMARY KEY("council_id","code");
--> statement-breakpoint
ALTER TABLE "import_rules" ADD CONSTRAINT "import_rules_council_id_id_pk" PRIMARY KEY("council_id","id");
--> statement-breakpoint
ALTER TABLE "methods_of_payment" ADD CONSTRAINT "methods_of_payment_council_id_code_pk" PRIMARY KEY("council_id","code");
--> statement-breakpoint
ALTER TABLE "offices" ADD CONSTRAINT "offices_council_id_code_pk" PRIMARY KEY("council_id","code");
--> statement-breakpoint
ALTER TABLE "reference_routes" ADD CONSTRAINT "reference_routes_council_id_position_pk" PRIMARY KEY("council_id","position");
--> statement-breakpoint
ALTER TABLE "vat_codes" ADD CONSTRAINT "vat_codes_council_id_code_pk" PRIMARY KEY("council_id","code");
--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_council_id_id_pk" PRIMARY KEY("council_id","id");
--> statement-breakpoint
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_council_id_import_id_chunk_no_pk" PRIMARY KEY("council_id","import_id","chunk_no");
--> statement-breakpoint
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_council_id_import_id_seq_pk" PRIMARY KEY("council_id","import_id","seq");
--> statement-breakpoint
ALTER TABLE "import_profiles" ADD CONSTRAINT "import_profiles_council_id_id_pk" PRIMARY KEY("council_id","id");
--> statement-breakpoint
ALTER TABLE "import_staged_rows" ADD CONSTRAINT "import_staged_rows_council_id_import_id_line_no_pk" PRIMARY KEY("council_id","import_id","line_no");
--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_council_id_id_pk" PRIMARY KEY("council_id","id");
--> statement-breakpoint
ALTER TABLE "suspense_items" ADD CONSTRAINT "suspense_items_council_id_id_pk" PRIMARY KEY("council_id","id");
--> statement-breakpoint
ALTER TABLE "journals" ADD CONSTRAINT "journals_council_id_id_pk" PRIMARY KEY("council_id","id");
--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_council_id_code_pk" PRIMARY KEY("council_id","code");
--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_council_id_journal_id_line_no_pk" PRIMARY KEY("council_id","journal_id","line_no");
--> statement-breakpoint
ALTER TABLE "payment_lines" ADD CONSTRAINT "payment_lines_council_id_payment_id_line_no_pk" PRIMARY KEY("council_id","payment_id","line_no");
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_council_id_id_pk" PRIMARY KEY("council_id","id");
--> statement-breakpoint
ALTER TABLE "seed_runs" ADD CONSTRAINT "seed_runs_council_id_name_pk" PRIMARY KEY("council_id","name");
--> statement-breakpoint
ALTER TABLE "closed_days" ADD CONSTRAINT "closed_days_council_id_business_date_pk" PRIMARY KEY("council_id","business_date");
--> statement-breakpoint
ALTER TABLE "psp_settlements" ADD CONSTRAINT "psp_settlements_council_id_settled_date_pk" PRIMARY KEY("council_id","settled_date");
--> statement-breakpoint
ALTER TABLE "reconciliation_settings" ADD CONSTRAINT "reconciliation_settings_council_id_key_pk" PRIMARY KEY("council_id","key");
--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_council_id_id_pk" PRIMARY KEY("council_id","id");
--> statement-breakpoint
ALTER TABLE "suspense_work" ADD CONSTRAINT "suspense_work_council_id_suspense_id_pk" PRIMARY KEY("council_id","suspense_id");
--> statement-breakpoint
ALTER TABLE "bank_exceptions" ADD CONSTRAINT "bank_exceptions_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "bank_matches" ADD CONSTRAINT "bank_matches_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "bank_statement_lines_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "bank_statement_lines_council_id_import_id_imports_council_id_id_fk" FOREIGN KEY ("council_id","import_id") REFERENCES "public"."imports"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "account_holders" ADD CONSTRAINT "account_holders_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "account_holders" ADD CONSTRAINT "account_holders_council_id_fund_code_funds_council_id_code_fk" FOREIGN KEY ("council_id","fund_code") REFERENCES "public"."funds"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "fund_group_members" ADD CONSTRAINT "fund_group_members_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "fund_group_members" ADD CONSTRAINT "fund_group_members_council_id_group_code_fund_groups_council_id_code_fk" FOREIGN KEY ("council_id","group_code") REFERENCES "public"."fund_groups"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "fund_group_members" ADD CONSTRAINT "fund_group_members_council_id_fund_code_funds_council_id_code_fk" FOREIGN KEY ("council_id","fund_code") REFERENCES "public"."funds"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "fund_groups" ADD CONSTRAINT "fund_groups_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "funds" ADD CONSTRAINT "funds_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "funds" ADD CONSTRAINT "funds_council_id_vat_code_vat_codes_council_id_code_fk" FOREIGN KEY ("council_id","vat_code") REFERENCES "public"."vat_codes"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_rules" ADD CONSTRAINT "import_rules_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "methods_of_payment" ADD CONSTRAINT "methods_of_payment_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "offices" ADD CONSTRAINT "offices_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "reference_routes" ADD CONSTRAINT "reference_routes_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "reference_routes" ADD CONSTRAINT "reference_routes_council_id_fund_code_funds_council_id_code_fk" FOREIGN KEY ("council_id","fund_code") REFERENCES "public"."funds"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "vat_codes" ADD CONSTRAINT "vat_codes_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_council_id_user_id_users_council_id_id_fk" FOREIGN KEY ("council_id","user_id") REFERENCES "public"."users"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_council_id_import_id_imports_council_id_id_fk" FOREIGN KEY ("council_id","import_id") REFERENCES "public"."imports"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_council_id_import_id_imports_council_id_id_fk" FOREIGN KEY ("council_id","import_id") REFERENCES "public"."imports"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_profiles" ADD CONSTRAINT "import_profiles_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_staged_rows" ADD CONSTRAINT "import_staged_rows_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_council_id_profile_id_import_profiles_council_id_id_fk" FOREIGN KEY ("council_id","profile_id") REFERENCES "public"."import_profiles"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "suspense_items" ADD CONSTRAINT "suspense_items_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "journals" ADD CONSTRAINT "journals_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_council_id_fund_code_funds_council_id_code_fk" FOREIGN KEY ("council_id","fund_code") REFERENCES "public"."funds"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_council_id_journal_id_journals_council_id_id_fk" FOREIGN KEY ("council_id","journal_id") REFERENCES "public"."journals"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_council_id_account_code_ledger_accounts_council_id_code_fk" FOREIGN KEY ("council_id","account_code") REFERENCES "public"."ledger_accounts"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_council_id_vat_code_vat_codes_council_id_code_fk" FOREIGN KEY ("council_id","vat_code") REFERENCES "public"."vat_codes"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_council_id_payment_id_payments_council_id_id_fk" FOREIGN KEY ("council_id","payment_id") REFERENCES "public"."payments"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payment_lines" ADD CONSTRAINT "payment_lines_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payment_lines" ADD CONSTRAINT "payment_lines_council_id_payment_id_payments_council_id_id_fk" FOREIGN KEY ("council_id","payment_id") REFERENCES "public"."payments"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payment_lines" ADD CONSTRAINT "payment_lines_council_id_fund_code_funds_council_id_code_fk" FOREIGN KEY ("council_id","fund_code") REFERENCES "public"."funds"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payment_lines" ADD CONSTRAINT "payment_lines_council_id_vat_code_vat_codes_council_id_code_fk" FOREIGN KEY ("council_id","vat_code") REFERENCES "public"."vat_codes"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_council_id_method_of_payment_code_methods_of_payment_council_id_code_fk" FOREIGN KEY ("council_id","method_of_payment_code") REFERENCES "public"."methods_of_payment"("council_id","code") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "probe_runs" ADD CONSTRAINT "probe_runs_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "seed_runs" ADD CONSTRAINT "seed_runs_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "closed_days" ADD CONSTRAINT "closed_days_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "psp_settlements" ADD CONSTRAINT "psp_settlements_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "reconciliation_settings" ADD CONSTRAINT "reconciliation_settings_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "bank_payments" ADD CONSTRAINT "bank_payments_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "bank_payments" ADD CONSTRAINT "bank_payments_council_id_refund_id_refunds_council_id_id_fk" FOREIGN KEY ("council_id","refund_id") REFERENCES "public"."refunds"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "suspense_allocations" ADD CONSTRAINT "suspense_allocations_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "suspense_allocations" ADD CONSTRAINT "suspense_allocations_council_id_suspense_id_suspense_items_council_id_id_fk" FOREIGN KEY ("council_id","suspense_id") REFERENCES "public"."suspense_items"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "suspense_events" ADD CONSTRAINT "suspense_events_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "suspense_events" ADD CONSTRAINT "suspense_events_council_id_suspense_id_suspense_items_council_id_id_fk" FOREIGN KEY ("council_id","suspense_id") REFERENCES "public"."suspense_items"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "suspense_work" ADD CONSTRAINT "suspense_work_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "suspense_work" ADD CONSTRAINT "suspense_work_council_id_suspense_id_suspense_items_council_id_id_fk" FOREIGN KEY ("council_id","suspense_id") REFERENCES "public"."suspense_items"("council_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "one_suspense_fund" ON "funds" USING btree ("council_id","is_suspense") WHERE "funds"."is_suspense";
--> statement-breakpoint
CREATE INDEX "import_rules_position" ON "import_rules" USING btree ("council_id","position");
--> statement-breakpoint
CREATE UNIQUE INDEX "users_username" ON "users" USING btree ("council_id",lower("username"));
--> statement-breakpoint
CREATE UNIQUE INDEX "users_oidc" ON "users" USING btree ("council_id","oidc_issuer","oidc_subject");
--> statement-breakpoint
CREATE INDEX "imports_created_at" ON "imports" USING btree ("council_id","created_at");
--> statement-breakpoint
CREATE INDEX "suspense_items_state" ON "suspense_items" USING btree ("council_id","state","created_at");
--> statement-breakpoint
CREATE INDEX "journals_posting_date" ON "journals" USING btree ("council_id","posting_date");
--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_account_per_fund" ON "ledger_accounts" USING btree ("council_id","fund_code");
--> statement-breakpoint
CREATE INDEX "postings_account_reference" ON "postings" USING btree ("council_id","account_code","account_reference");
--> statement-breakpoint
CREATE INDEX "payment_lines_reference" ON "payment_lines" USING btree ("council_id","reference");
--> statement-breakpoint
CREATE INDEX "payments_state" ON "payments" USING btree ("council_id","state");
--> statement-breakpoint
CREATE INDEX "payments_created_at" ON "payments" USING btree ("council_id","created_at");
--> statement-breakpoint
CREATE INDEX "refunds_state" ON "refunds" USING btree ("council_id","state","created_at");
--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_one_submitting_per_source" ON "refunds" USING btree ("council_id","source_id") WHERE "refunds"."psp_submitting";
--> statement-breakpoint
CREATE UNIQUE INDEX "suspense_allocations_update" ON "suspense_allocations" USING btree ("council_id","suspense_id","update_id","part_no");
--> statement-breakpoint
CREATE INDEX "suspense_work_overdue" ON "suspense_work" USING btree ("council_id","overdue","priority");
--> statement-breakpoint
ALTER TABLE "bank_exceptions" ADD CONSTRAINT "bank_exceptions_exception_key_unique" UNIQUE("council_id","exception_key");
--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "bank_statement_lines_import_line" UNIQUE("council_id","import_id","line_no");
--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_content_sha256_unique" UNIQUE("council_id","content_sha256");
--> statement-breakpoint
ALTER TABLE "journals" ADD CONSTRAINT "journals_idempotency_key_unique" UNIQUE("council_id","idempotency_key");
--> statement-breakpoint
ALTER TABLE "journals" ADD CONSTRAINT "journals_reverses_journal_id_unique" UNIQUE("council_id","reverses_journal_id");
--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_dedupe_key_unique" UNIQUE("council_id","dedupe_key");
--> statement-breakpoint
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_dedupe_key_unique" UNIQUE("council_id","dedupe_key");
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_idempotency_key_unique" UNIQUE("council_id","idempotency_key");
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_psp_payment_id_unique" UNIQUE("council_id","psp_payment_id");
--> statement-breakpoint
ALTER TABLE "bank_payments" ADD CONSTRAINT "bank_payments_refund_id_unique" UNIQUE("council_id","refund_id");
--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_idempotency_key_unique" UNIQUE("council_id","idempotency_key");
--> statement-breakpoint
ALTER TABLE "suspense_events" ADD CONSTRAINT "suspense_events_dedupe_key_unique" UNIQUE("council_id","dedupe_key");
--> statement-breakpoint
-- Hand-written from here: row-level security and the application's role.
-- Each council sees and writes only its own rows. The setting is fixed per connection when a
-- council's pool connects (db/councils.ts); a connection naming no council sees nothing and
-- writes nothing. Tables are not FORCEd: their owner (who migrates and seeds) is trusted, and the
-- API and worker refuse to start as the owner, a superuser or a BYPASSRLS role (db/appRole.ts).
DO $$
DECLARE
  t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY council_isolation ON %I USING (%2$s = current_setting(''ims.council_id'', true)) WITH CHECK (%2$s = current_setting(''ims.council_id'', true))',
      t,
      CASE WHEN t = 'councils' THEN 'id' ELSE 'council_id' END
    );
  END LOOP;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ims_app') THEN
    CREATE ROLE ims_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO ims_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ims_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ims_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ims_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ims_app;
--> statement-breakpoint
-- A council reads its own row; councils are created and removed by the owner (onboarding).
REVOKE INSERT, UPDATE, DELETE ON "councils" FROM ims_app;
--> statement-breakpoint
-- Credentials arrive before the council is known. These two functions run as the owner and
-- answer only which council a presented secret belongs to (by its SHA-256, never the secret);
-- the rest of the lookup then runs under that council's row-level security.
CREATE FUNCTION ims_council_of_api_key(secret_hash_in text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT council_id FROM api_keys WHERE secret_hash = secret_hash_in $$;
--> statement-breakpoint
CREATE FUNCTION ims_council_of_session(token_hash_in text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT council_id FROM sessions WHERE token_hash = token_hash_in $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ims_council_of_api_key(text), ims_council_of_session(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ims_council_of_api_key(text), ims_council_of_session(text) TO ims_app;
--> statement-breakpoint
-- Closing a day closes it for its own council only.
CREATE OR REPLACE FUNCTION ims_refuse_closed_day() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM closed_days
     WHERE council_id = NEW.council_id AND business_date = NEW.posting_date
  ) THEN
    RAISE EXCEPTION 'business day % is closed: post to the next open day', NEW.posting_date
      USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_day_open';
  END IF;
  RETURN NEW;
END
$$;
