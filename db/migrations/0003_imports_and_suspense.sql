CREATE TABLE "import_chunks" (
	"import_id" text NOT NULL,
	"chunk_no" integer NOT NULL,
	"first_line_no" integer NOT NULL,
	"last_line_no" integer NOT NULL,
	"rows_allocated" integer NOT NULL,
	"rows_suspended" integer NOT NULL,
	"allocated_pence" bigint NOT NULL,
	"suspended_pence" bigint NOT NULL,
	"journal_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_chunks_import_id_chunk_no_pk" PRIMARY KEY("import_id","chunk_no")
);
--> statement-breakpoint
CREATE TABLE "import_errors" (
	"import_id" text NOT NULL,
	"seq" integer NOT NULL,
	"line_no" integer NOT NULL,
	"field" text,
	"message" text NOT NULL,
	CONSTRAINT "import_errors_import_id_seq_pk" PRIMARY KEY("import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "import_profiles" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"definition" jsonb NOT NULL,
	"method_of_payment_code" text NOT NULL,
	"clearing_account_code" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" text PRIMARY KEY NOT NULL,
	"file_name" text NOT NULL,
	"content_sha256" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"profile_id" text NOT NULL,
	"state" text NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_allocated" integer DEFAULT 0 NOT NULL,
	"rows_suspended" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"total_pence" bigint DEFAULT 0 NOT NULL,
	"allocated_pence" bigint DEFAULT 0 NOT NULL,
	"suspended_pence" bigint DEFAULT 0 NOT NULL,
	"storage_path" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"reversed_at" timestamp with time zone,
	"reversal_reason" text,
	CONSTRAINT "imports_content_sha256_unique" UNIQUE("content_sha256")
);
--> statement-breakpoint
CREATE TABLE "suspense_items" (
	"id" text PRIMARY KEY NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"source_line_no" integer,
	"amount_pence" bigint NOT NULL,
	"remaining_pence" bigint NOT NULL,
	"received_reference" text NOT NULL,
	"narrative" text DEFAULT '' NOT NULL,
	"received_date" text NOT NULL,
	"fund_code_hint" text,
	"reason" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"journal_id" text,
	"assigned_to" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suspense_amounts" CHECK ("suspense_items"."amount_pence" > 0 and "suspense_items"."remaining_pence" between 0 and "suspense_items"."amount_pence")
);
--> statement-breakpoint
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_profile_id_import_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."import_profiles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_created_at" ON "imports" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "suspense_items_state" ON "suspense_items" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "suspense_items_source" ON "suspense_items" USING btree ("source_type","source_id");