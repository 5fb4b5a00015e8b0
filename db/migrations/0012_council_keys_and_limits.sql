CREATE TABLE "council_payload_keys" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"key_id" text NOT NULL,
	"wrapped_key" text NOT NULL,
	"wrapping_key_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "council_payload_keys_council_id_key_id_pk" PRIMARY KEY("council_id","key_id")
);
--> statement-breakpoint
ALTER TABLE "councils" ADD COLUMN "requests_per_minute_max" integer DEFAULT 6000 NOT NULL;--> statement-breakpoint
ALTER TABLE "councils" ADD COLUMN "import_bytes_max" integer;--> statement-breakpoint
ALTER TABLE "council_payload_keys" ADD CONSTRAINT "council_payload_keys_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "councils" ADD CONSTRAINT "council_limits_positive" CHECK ("councils"."requests_per_minute_max" > 0 and coalesce("councils"."import_bytes_max", 1) > 0);--> statement-breakpoint
-- Hand-written from here (docs/tenancy.md).
ALTER TABLE "council_payload_keys" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON council_payload_keys
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
-- The service provider's own council: its operators see every council's health and queues,
-- and it holds no council's data.
INSERT INTO "councils" ("id", "name") VALUES ('provider', 'Service provider') ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Onboarding: the application role may add a council (the API allows only provider operators);
-- the council's configuration is then written under its own row-level security.
CREATE FUNCTION ims_create_council(
  id_in text, name_in text, requests_per_minute_max_in integer, import_bytes_max_in integer
) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    INSERT INTO councils (id, name, requests_per_minute_max, import_bytes_max)
    VALUES (id_in, name_in, requests_per_minute_max_in, import_bytes_max_in)
  $$;
--> statement-breakpoint
-- Every council's id and name, and nothing of its data: what a provider operator may list.
CREATE FUNCTION ims_list_councils() RETURNS TABLE (id text, name text, created_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT id, name, created_at FROM councils ORDER BY id $$;
--> statement-breakpoint
-- Append-only stays append-only, except while the tables' owner offboards a council (the flag
-- names it): then that council's rows, and only its, may be deleted. The application role can
-- set the flag but owns nothing, so it still cannot delete a posting.
CREATE OR REPLACE FUNCTION ims_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND OLD.council_id = current_setting('ims.offboarding', true)
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE')
  THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'Correct a journal with a reversing journal linked to the original.';
END
$$;
--> statement-breakpoint
-- Offboarding: deletes every row of one council (its keys with them) and the council itself, in
-- one transaction. Tables are emptied children first, found by retrying those a foreign key
-- still holds, so a table added later needs no change here.
CREATE FUNCTION ims_delete_council(id_in text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  remaining text[];
  progressed boolean;
  t text;
  deleted bigint := 0;
  n bigint;
BEGIN
  IF id_in IN ('default', 'provider') THEN
    RAISE EXCEPTION 'council % cannot be offboarded', id_in USING ERRCODE = 'check_violation';
  END IF;
  PERFORM set_config('ims.offboarding', id_in, true);
  SELECT array_agg(c.table_name::text) INTO remaining
    FROM information_schema.columns c
   WHERE c.table_schema = 'public' AND c.column_name = 'council_id';
  LOOP
    EXIT WHEN remaining IS NULL OR cardinality(remaining) = 0;
    progressed := false;
    FOREACH t IN ARRAY remaining LOOP
      BEGIN
        EXECUTE format('DELETE FROM %I WHERE council_id = $1', t) USING id_in;
        GET DIAGNOSTICS n = ROW_COUNT;
        deleted := deleted + n;
        remaining := array_remove(remaining, t);
        progressed := true;
      EXCEPTION WHEN foreign_key_violation THEN
        NULL;
      END;
    END LOOP;
    IF NOT progressed THEN
      RAISE EXCEPTION 'offboarding % is stuck on %', id_in, remaining;
    END IF;
  END LOOP;
  DELETE FROM councils WHERE id = id_in;
  PERFORM set_config('ims.offboarding', '', true);
  RETURN deleted;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ims_create_council(text, text, integer, integer), ims_list_councils(), ims_delete_council(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ims_create_council(text, text, integer, integer), ims_list_councils(), ims_delete_council(text) TO ims_app;
