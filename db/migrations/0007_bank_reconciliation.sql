CREATE TABLE "bank_exceptions" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"exception_key" text NOT NULL,
	"statement_line_id" text,
	"expected_item_id" text,
	"difference_pence" bigint,
	"since_date" date NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "bank_exceptions_exception_key_unique" UNIQUE("exception_key")
);
--> statement-breakpoint
CREATE TABLE "bank_matches" (
	"id" text PRIMARY KEY NOT NULL,
	"rule" text NOT NULL,
	"statement_line_ids" text[] NOT NULL,
	"expected_item_ids" text[] NOT NULL,
	"difference_pence" bigint NOT NULL,
	"matched_by" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unmatched_at" timestamp with time zone,
	"unmatched_by" text,
	"unmatch_reason" text,
	CONSTRAINT "bank_match_unmatch_complete" CHECK (("bank_matches"."unmatched_at" is null) = ("bank_matches"."unmatched_by" is null and "bank_matches"."unmatch_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "bank_statement_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"import_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"date" date NOT NULL,
	"amount_pence" bigint NOT NULL,
	"reference" text NOT NULL,
	"narrative" text NOT NULL,
	"bank_reference" text,
	"match_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_statement_lines_import_line" UNIQUE("import_id","line_no")
);
--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "bank_statement_lines_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bank_exceptions_open" ON "bank_exceptions" USING btree ("kind","since_date") WHERE "bank_exceptions"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "bank_matches_active" ON "bank_matches" USING btree ("created_at") WHERE "bank_matches"."unmatched_at" is null;