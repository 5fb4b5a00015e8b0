CREATE TABLE "import_staged_rows" (
	"import_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"reference" text NOT NULL,
	"amount_pence" bigint NOT NULL,
	"narrative" text NOT NULL,
	"transaction_date" text NOT NULL,
	"fund_code" text,
	CONSTRAINT "import_staged_rows_import_id_line_no_pk" PRIMARY KEY("import_id","line_no")
);
