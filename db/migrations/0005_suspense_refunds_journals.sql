CREATE TABLE "bank_payments" (
	"id" text PRIMARY KEY NOT NULL,
	"refund_id" text NOT NULL,
	"amount_pence" bigint NOT NULL,
	"record" text NOT NULL,
	"file_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_payments_refund_id_unique" UNIQUE("refund_id")
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"method" text NOT NULL,
	"amount_pence" bigint NOT NULL,
	"reason" text NOT NULL,
	"state" text NOT NULL,
	"requested_by" text NOT NULL,
	"fund_codes" jsonb NOT NULL,
	"approval_required" boolean NOT NULL,
	"decided_by" text,
	"decision_reason" text,
	"psp_refund_id" text,
	"psp_status" text,
	"psp_submitting" boolean DEFAULT false NOT NULL,
	"psp_submitted_before_pence" bigint,
	"failure_reason" text,
	"journal_id" text,
	"bank_sort_code" text,
	"bank_account_number" text,
	"bank_account_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "refunds_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "refund_amount_positive" CHECK ("refunds"."amount_pence" > 0),
	CONSTRAINT "refund_bacs_has_bank_details" CHECK ("refunds"."method" <> 'bacs' or ("refunds"."bank_sort_code" is not null and "refunds"."bank_account_number" is not null))
);
--> statement-breakpoint
CREATE TABLE "suspense_allocations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"suspense_id" text NOT NULL,
	"update_id" text NOT NULL,
	"part_no" smallint NOT NULL,
	"fund_code" text NOT NULL,
	"reference" text NOT NULL,
	"amount_pence" bigint NOT NULL,
	"journal_id" text NOT NULL,
	"allocated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suspense_allocation_positive" CHECK ("suspense_allocations"."amount_pence" > 0)
);
--> statement-breakpoint
CREATE TABLE "suspense_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"suspense_id" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"event" text NOT NULL,
	"actor" text NOT NULL,
	"text" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suspense_events_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "suspense_work" (
	"suspense_id" text PRIMARY KEY NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"overdue" boolean DEFAULT false NOT NULL,
	"overdue_since" timestamp with time zone,
	"write_off_requested_by" text,
	"write_off_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bank_payments" ADD CONSTRAINT "bank_payments_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspense_allocations" ADD CONSTRAINT "suspense_allocations_suspense_id_suspense_items_id_fk" FOREIGN KEY ("suspense_id") REFERENCES "public"."suspense_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspense_events" ADD CONSTRAINT "suspense_events_suspense_id_suspense_items_id_fk" FOREIGN KEY ("suspense_id") REFERENCES "public"."suspense_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspense_work" ADD CONSTRAINT "suspense_work_suspense_id_suspense_items_id_fk" FOREIGN KEY ("suspense_id") REFERENCES "public"."suspense_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refunds_source" ON "refunds" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE INDEX "refunds_state" ON "refunds" USING btree ("state","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_one_submitting_per_source" ON "refunds" USING btree ("source_id") WHERE "refunds"."psp_submitting";--> statement-breakpoint
CREATE INDEX "suspense_allocations_item" ON "suspense_allocations" USING btree ("suspense_id");--> statement-breakpoint
CREATE UNIQUE INDEX "suspense_allocations_update" ON "suspense_allocations" USING btree ("suspense_id","update_id","part_no");--> statement-breakpoint
CREATE INDEX "suspense_events_item" ON "suspense_events" USING btree ("suspense_id","id");--> statement-breakpoint
CREATE INDEX "suspense_work_overdue" ON "suspense_work" USING btree ("overdue","priority");