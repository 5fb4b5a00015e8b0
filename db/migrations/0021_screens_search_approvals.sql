-- Fuzzy account-holder search (docs/account-holders.md): pg_trgm ships with PostgreSQL's contrib
-- modules, the embedded binaries included, and is a trusted extension.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE "on_stop_messages" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"fund_code" text NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "on_stop_messages_council_id_fund_code_code_pk" PRIMARY KEY("council_id","fund_code","code")
);
--> statement-breakpoint
CREATE TABLE "journal_approvals" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"kind" text NOT NULL,
	"request" jsonb NOT NULL,
	"amount_pence" bigint NOT NULL,
	"reason" text NOT NULL,
	"requested_by" text NOT NULL,
	"state" text NOT NULL,
	"decided_by" text,
	"decision_reason" text,
	"decided_at" timestamp with time zone,
	"journal_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "journal_approvals_council_id_id_pk" PRIMARY KEY("council_id","id"),
	CONSTRAINT "journal_approvals_idempotency_key_unique" UNIQUE("council_id","idempotency_key"),
	CONSTRAINT "journal_approval_amount_positive" CHECK ("journal_approvals"."amount_pence" > 0),
	CONSTRAINT "journal_approval_not_own" CHECK ("journal_approvals"."decided_by" is null or "journal_approvals"."decided_by" <> "journal_approvals"."requested_by")
);
--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "forenames" text;--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "surname" text;--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "organisation" text;--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "address_line1" text;--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "address_line2" text;--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "town" text;--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "postcode" text;--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(reference || ' ' || name || ' ' || address || ' ' || coalesce(postcode, ''))) STORED;--> statement-breakpoint
ALTER TABLE "account_holders" ADD COLUMN "postcode_key" text GENERATED ALWAYS AS (upper(replace(coalesce(postcode, substring(address from '([A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2})[^A-Za-z0-9]*$')), ' ', ''))) STORED;--> statement-breakpoint
ALTER TABLE "on_stop_messages" ADD CONSTRAINT "on_stop_messages_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "on_stop_messages" ADD CONSTRAINT "on_stop_messages_council_id_fund_code_funds_council_id_code_fk" FOREIGN KEY ("council_id","fund_code") REFERENCES "public"."funds"("council_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_approvals" ADD CONSTRAINT "journal_approvals_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "journal_approvals_state" ON "journal_approvals" USING btree ("council_id","state","id");--> statement-breakpoint
CREATE INDEX "account_holders_search_trgm" ON "account_holders" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "account_holders_postcode_trgm" ON "account_holders" USING gin ("postcode_key" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "on_stop_messages" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON on_stop_messages
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
ALTER TABLE "journal_approvals" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON journal_approvals
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
-- Fuzzy account-holder search (db/accountHolderEdits.ts). pg_trgm's operators are not
-- LEAKPROOF, so under row-level security the planner may not use them as index conditions and
-- scans every row. This function runs as the tables' owner (past RLS) and applies the council
-- itself, from the same connection setting the policies read, so the GIN trigram indexes serve
-- it. The WHERE clause is built for what was asked, so each search gets its own plan.
CREATE FUNCTION search_account_holders(
  q text, q_like text, reference_like text, postcode text, postcode_like text,
  fund_codes text[], row_limit integer
) RETURNS TABLE (fund_code text, reference text, score double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  conditions text := 'h.council_id = current_setting(''ims.council_id'', true)';
  scored text := '0';
BEGIN
  IF q IS NOT NULL THEN
    conditions := conditions || ' AND (h.search_text ILIKE $2 OR $1 <% h.search_text)';
    scored := scored || ' + word_similarity($1, h.search_text)'
      || ' + CASE WHEN lower(h.reference) LIKE $3 THEN 1 ELSE 0 END';
  END IF;
  IF postcode IS NOT NULL THEN
    conditions := conditions || ' AND (h.postcode_key LIKE $5 OR h.postcode_key % $4)';
    scored := scored || ' + similarity(coalesce(h.postcode_key, ''''), $4)';
  END IF;
  IF fund_codes IS NOT NULL THEN
    conditions := conditions || ' AND h.fund_code = ANY($6)';
  END IF;
  RETURN QUERY EXECUTE format(
    'SELECT h.fund_code, h.reference, (%s)::float8 FROM account_holders h WHERE %s'
    || ' ORDER BY 3 DESC, 1, 2 LIMIT $7', scored, conditions)
  USING q, q_like, reference_like, postcode, postcode_like, fund_codes, row_limit;
END
$$;
