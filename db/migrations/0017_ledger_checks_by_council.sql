-- The ledger's balance checks (migration 0001) looked postings and journals up by journal id
-- alone. Since migration 0011 their keys lead with council_id, so those lookups could not use the
-- keys directly and the planner fell back to scans as the tables grew, which slowed every
-- posting (imports most). The same checks, looked up by the full key.
CREATE OR REPLACE FUNCTION ims_check_postings_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT j.id, j.line_count, j.total_pence, s.line_count AS actual_lines, s.debit_pence, s.credit_pence
    INTO bad
    FROM (SELECT DISTINCT council_id, journal_id FROM new_postings) touched
    JOIN journals j ON j.council_id = touched.council_id AND j.id = touched.journal_id
    CROSS JOIN LATERAL (
      SELECT count(*) AS line_count, sum(p.debit_pence) AS debit_pence, sum(p.credit_pence) AS credit_pence
        FROM postings p WHERE p.council_id = j.council_id AND p.journal_id = j.id
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
CREATE OR REPLACE FUNCTION ims_check_journal_complete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  actual_lines bigint;
  mismatched bigint;
BEGIN
  SELECT count(*) INTO actual_lines FROM postings
   WHERE council_id = NEW.council_id AND journal_id = NEW.id;
  IF actual_lines <> NEW.line_count THEN
    RAISE EXCEPTION 'journal % has % posting(s); it declares %', NEW.id, actual_lines, NEW.line_count
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.reverses_journal_id IS NOT NULL THEN
    SELECT count(*) INTO mismatched FROM (
      SELECT account_code, coalesce(account_reference, '') AS ref, sum(debit_pence - credit_pence) AS net
        FROM postings
       WHERE council_id = NEW.council_id AND journal_id IN (NEW.id, NEW.reverses_journal_id)
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
