CREATE TABLE "closed_days" (
	"business_date" date PRIMARY KEY NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_by" text NOT NULL,
	"reason" text,
	"gl_export_csv" text NOT NULL,
	"gl_export_sha256" text NOT NULL,
	"fund_feed_csv" text NOT NULL,
	"fund_feed_sha256" text NOT NULL,
	"gl_line_count" integer NOT NULL,
	"total_debit_pence" bigint NOT NULL,
	"total_credit_pence" bigint NOT NULL,
	CONSTRAINT "closed_day_balances" CHECK ("closed_days"."total_debit_pence" = "closed_days"."total_credit_pence")
);
--> statement-breakpoint
CREATE TABLE "psp_settlements" (
	"settled_date" date PRIMARY KEY NOT NULL,
	"payment_count" integer NOT NULL,
	"gross_pence" bigint NOT NULL,
	"fee_pence" bigint NOT NULL,
	"refund_pence" bigint NOT NULL,
	"expected_payout_pence" bigint NOT NULL,
	"differences" jsonb NOT NULL,
	"reconciled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_payout_sum" CHECK ("psp_settlements"."expected_payout_pence" = "psp_settlements"."gross_pence" - "psp_settlements"."fee_pence" - "psp_settlements"."refund_pence")
);
--> statement-breakpoint
-- A closed day's GL export has gone to the general ledger: a journal dated to it would make the
-- ledger and the GL disagree forever, so the database refuses it whoever tries. Close of day
-- locks journals in SHARE mode while it writes its row, so no journal can slip in between.
CREATE FUNCTION ims_refuse_closed_day() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM closed_days WHERE business_date = NEW.posting_date) THEN
    RAISE EXCEPTION 'business day % is closed: post to the next open day', NEW.posting_date
      USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_day_open';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER journals_day_open BEFORE INSERT ON journals
  FOR EACH ROW EXECUTE FUNCTION ims_refuse_closed_day();
--> statement-breakpoint
CREATE TRIGGER closed_days_append_only BEFORE UPDATE OR DELETE ON closed_days
  FOR EACH ROW EXECUTE FUNCTION ims_refuse_change();
--> statement-breakpoint
CREATE TRIGGER closed_days_no_truncate BEFORE TRUNCATE ON closed_days
  FOR EACH STATEMENT EXECUTE FUNCTION ims_refuse_change();
