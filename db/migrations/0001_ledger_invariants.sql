-- Ledger invariants enforced by the database as well as by the code (domain/ledger.ts).
--  1. Journals, postings and the audit log are append-only: UPDATE, DELETE and TRUNCATE fail.
--  2. Every journal balances: its postings' debits and credits both equal journals.total_pence,
--     and there are exactly journals.line_count of them, written in ONE insert statement
--     (checked at the end of that statement), so lines can never be added to a posted journal.
--  3. A journal without its postings cannot commit (deferred check).
--  4. A reversal mirrors its original exactly, per account and account reference.
--  5. The financial year and period agree with the posting date (April is period 1).

CREATE FUNCTION ims_financial_year(d date) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN extract(month FROM d) >= 4
    THEN extract(year FROM d)::int || '/' || lpad(((extract(year FROM d)::int + 1) % 100)::text, 2, '0')
    ELSE (extract(year FROM d)::int - 1) || '/' || lpad((extract(year FROM d)::int % 100)::text, 2, '0')
  END
$$;
--> statement-breakpoint
CREATE FUNCTION ims_financial_period(d date) RETURNS smallint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ((extract(month FROM d)::int + 8) % 12 + 1)::smallint
$$;
--> statement-breakpoint
ALTER TABLE journals ADD CONSTRAINT journal_period_matches_date
  CHECK (financial_year = ims_financial_year(posting_date) AND period = ims_financial_period(posting_date));
--> statement-breakpoint
CREATE FUNCTION ims_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'Correct a journal with a reversing journal linked to the original.';
END
$$;
--> statement-breakpoint
CREATE TRIGGER journals_append_only BEFORE UPDATE OR DELETE ON journals
  FOR EACH ROW EXECUTE FUNCTION ims_refuse_change();
--> statement-breakpoint
CREATE TRIGGER journals_no_truncate BEFORE TRUNCATE ON journals
  FOR EACH STATEMENT EXECUTE FUNCTION ims_refuse_change();
--> statement-breakpoint
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION ims_refuse_change();
--> statement-breakpoint
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
  FOR EACH STATEMENT EXECUTE FUNCTION ims_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION ims_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION ims_refuse_change();
--> statement-breakpoint
CREATE FUNCTION ims_check_postings_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT j.id, j.line_count, j.total_pence, s.line_count AS actual_lines, s.debit_pence, s.credit_pence
    INTO bad
    FROM (SELECT DISTINCT journal_id FROM new_postings) touched
    JOIN journals j ON j.id = touched.journal_id
    CROSS JOIN LATERAL (
      SELECT count(*) AS line_count, sum(p.debit_pence) AS debit_pence, sum(p.credit_pence) AS credit_pence
        FROM postings p WHERE p.journal_id = j.id
    ) s
   WHERE s.line_count <> j.line_count OR s.debit_pence <> j.total_pence OR s.credit_pence <> j.total_pence
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'journal % does not balance: % line(s) with debits % and credits %, declared % line(s) totalling %',
      bad.id, bad.actual_lines, bad.debit_pence, bad.credit_pence, bad.line_count, bad.total_pence
      USING ERRCODE = 'check_violation',
            HINT = 'Insert all of a journal''s postings in one statement; debits must equal credits.';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER postings_balanced AFTER INSERT ON postings
  REFERENCING NEW TABLE AS new_postings
  FOR EACH STATEMENT EXECUTE FUNCTION ims_check_postings_statement();
--> statement-breakpoint
CREATE FUNCTION ims_check_journal_complete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  actual_lines bigint;
  mismatched bigint;
BEGIN
  SELECT count(*) INTO actual_lines FROM postings WHERE journal_id = NEW.id;
  IF actual_lines <> NEW.line_count THEN
    RAISE EXCEPTION 'journal % has % posting(s); it declares %', NEW.id, actual_lines, NEW.line_count
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.reverses_journal_id IS NOT NULL THEN
    SELECT count(*) INTO mismatched FROM (
      SELECT account_code, coalesce(account_reference, '') AS ref, sum(debit_pence - credit_pence) AS net
        FROM postings
       WHERE journal_id IN (NEW.id, NEW.reverses_journal_id)
       GROUP BY 1, 2
    ) nets WHERE net <> 0;
    IF mismatched > 0 THEN
      RAISE EXCEPTION 'journal % does not exactly reverse journal %', NEW.id, NEW.reverses_journal_id
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER journals_complete AFTER INSERT ON journals
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ims_check_journal_complete();
--> statement-breakpoint
INSERT INTO ledger_accounts (code, kind, name) VALUES
  ('CTRL:PSP_CLEARING', 'control', 'Card payments awaiting PSP payout'),
  ('CTRL:BANK', 'control', 'Bank'),
  ('CTRL:CASH', 'control', 'Cash in hand'),
  ('CTRL:COLLECTION_CLEARING', 'control', 'Collection agent (Post Office, PayPoint) clearing'),
  ('CTRL:REFUNDS_PAYABLE', 'control', 'Refunds payable'),
  ('CTRL:PSP_FEES', 'control', 'PSP transaction fees'),
  ('CTRL:VAT_OUTPUT', 'control', 'VAT output tax'),
  ('CTRL:WRITE_OFF', 'control', 'Suspense written off');
