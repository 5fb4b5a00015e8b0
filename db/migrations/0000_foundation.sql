CREATE TABLE "account_holders" (
	"fund_code" text NOT NULL,
	"reference" text NOT NULL,
	"name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"balance_pence" bigint,
	"on_stop_message" text,
	"load_id" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_holders_fund_code_reference_pk" PRIMARY KEY("fund_code","reference")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"reason" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "fund_group_members" (
	"group_code" text NOT NULL,
	"fund_code" text NOT NULL,
	CONSTRAINT "fund_group_members_group_code_fund_code_pk" PRIMARY KEY("group_code","fund_code")
);
--> statement-breakpoint
CREATE TABLE "fund_groups" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "funds" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"validator" jsonb NOT NULL,
	"vat_code" text NOT NULL,
	"max_pence" bigint NOT NULL,
	"ledger_code" text NOT NULL,
	"cost_centre" text NOT NULL,
	"is_suspense" boolean DEFAULT false NOT NULL,
	"account_holder_list_required" boolean DEFAULT false NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_max_positive" CHECK ("funds"."max_pence" > 0)
);
--> statement-breakpoint
CREATE TABLE "import_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"condition_groups" jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"stop_processing" boolean DEFAULT false NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "methods_of_payment" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"min_pence" bigint NOT NULL,
	"max_pence" bigint NOT NULL,
	"is_card" boolean DEFAULT false NOT NULL,
	"is_cash" boolean DEFAULT false NOT NULL,
	"is_cheque" boolean DEFAULT false NOT NULL,
	"is_refundable" boolean DEFAULT false NOT NULL,
	"incurs_fee" boolean DEFAULT false NOT NULL,
	"is_internal" boolean DEFAULT false NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mop_limits" CHECK ("methods_of_payment"."min_pence" >= 0 and "methods_of_payment"."max_pence" >= "methods_of_payment"."min_pence")
);
--> statement-breakpoint
CREATE TABLE "offices" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "office_code_two_letters" CHECK ("offices"."code" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "reference_routes" (
	"position" integer PRIMARY KEY NOT NULL,
	"fund_code" text NOT NULL,
	"pattern" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vat_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"rate_basis_points" integer NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vat_rate_range" CHECK ("vat_codes"."rate_basis_points" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "journals" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"content_hash" text NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"posting_date" date NOT NULL,
	"financial_year" text NOT NULL,
	"period" smallint NOT NULL,
	"caused_by" text NOT NULL,
	"source_type" text,
	"source_id" text,
	"reverses_journal_id" text,
	"line_count" integer NOT NULL,
	"total_pence" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "journals_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "journals_reverses_journal_id_unique" UNIQUE("reverses_journal_id"),
	CONSTRAINT "journal_period_range" CHECK ("journals"."period" between 1 and 12),
	CONSTRAINT "journal_line_count" CHECK ("journals"."line_count" >= 2),
	CONSTRAINT "journal_total_positive" CHECK ("journals"."total_pence" > 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"code" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"fund_code" text,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_account_has_fund" CHECK (("ledger_accounts"."kind" = 'fund') = ("ledger_accounts"."fund_code" is not null))
);
--> statement-breakpoint
CREATE TABLE "postings" (
	"journal_id" text NOT NULL,
	"line_no" smallint NOT NULL,
	"account_code" text NOT NULL,
	"debit_pence" bigint DEFAULT 0 NOT NULL,
	"credit_pence" bigint DEFAULT 0 NOT NULL,
	"account_reference" text,
	"vat_code" text,
	"vat_pence" bigint DEFAULT 0 NOT NULL,
	"narrative" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "postings_journal_id_line_no_pk" PRIMARY KEY("journal_id","line_no"),
	CONSTRAINT "posting_one_sided" CHECK (("postings"."debit_pence" > 0 and "postings"."credit_pence" = 0) or ("postings"."credit_pence" > 0 and "postings"."debit_pence" = 0)),
	CONSTRAINT "posting_vat_range" CHECK ("postings"."vat_pence" >= 0)
);
--> statement-breakpoint
CREATE TABLE "probe_runs" (
	"probe_id" text PRIMARY KEY NOT NULL,
	"requested_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seed_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_holders" ADD CONSTRAINT "account_holders_fund_code_funds_code_fk" FOREIGN KEY ("fund_code") REFERENCES "public"."funds"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_group_members" ADD CONSTRAINT "fund_group_members_group_code_fund_groups_code_fk" FOREIGN KEY ("group_code") REFERENCES "public"."fund_groups"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_group_members" ADD CONSTRAINT "fund_group_members_fund_code_funds_code_fk" FOREIGN KEY ("fund_code") REFERENCES "public"."funds"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funds" ADD CONSTRAINT "funds_vat_code_vat_codes_code_fk" FOREIGN KEY ("vat_code") REFERENCES "public"."vat_codes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_routes" ADD CONSTRAINT "reference_routes_fund_code_funds_code_fk" FOREIGN KEY ("fund_code") REFERENCES "public"."funds"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_fund_code_funds_code_fk" FOREIGN KEY ("fund_code") REFERENCES "public"."funds"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_journal_id_journals_id_fk" FOREIGN KEY ("journal_id") REFERENCES "public"."journals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_account_code_ledger_accounts_code_fk" FOREIGN KEY ("account_code") REFERENCES "public"."ledger_accounts"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_vat_code_vat_codes_code_fk" FOREIGN KEY ("vat_code") REFERENCES "public"."vat_codes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_entity" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_occurred_at" ON "audit_log" USING btree ("occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "one_suspense_fund" ON "funds" USING btree ("is_suspense") WHERE "funds"."is_suspense";--> statement-breakpoint
CREATE INDEX "import_rules_position" ON "import_rules" USING btree ("position");--> statement-breakpoint
CREATE INDEX "journals_posting_date" ON "journals" USING btree ("posting_date");--> statement-breakpoint
CREATE INDEX "journals_source" ON "journals" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_account_per_fund" ON "ledger_accounts" USING btree ("fund_code");--> statement-breakpoint
CREATE INDEX "postings_account" ON "postings" USING btree ("account_code");--> statement-breakpoint
CREATE INDEX "postings_account_reference" ON "postings" USING btree ("account_code","account_reference");