CREATE TABLE "webhook_deliveries" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"id" text NOT NULL,
	"outbox_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"event" text NOT NULL,
	"ordering_key" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_status_code" integer,
	"redeliveries" integer DEFAULT 0 NOT NULL,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_council_id_id_pk" PRIMARY KEY("council_id","id"),
	CONSTRAINT "webhook_deliveries_once" UNIQUE("council_id","outbox_id","subscription_id"),
	CONSTRAINT "webhook_delivery_status" CHECK ("webhook_deliveries"."status" in ('pending', 'delivered', 'dead'))
);
--> statement-breakpoint
CREATE TABLE "webhook_delivery_attempts" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"delivery_id" text NOT NULL,
	"attempt_no" integer NOT NULL,
	"status_code" integer,
	"latency_ms" integer NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_delivery_attempts_council_id_delivery_id_attempt_no_pk" PRIMARY KEY("council_id","delivery_id","attempt_no")
);
--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
	"council_id" text DEFAULT coalesce(nullif(current_setting('ims.council_id', true), ''), 'default') NOT NULL,
	"id" text NOT NULL,
	"channel" text DEFAULT 'webhook' NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"fund_code" text,
	"description" text NOT NULL,
	"sealed_secret" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_subscriptions_council_id_id_pk" PRIMARY KEY("council_id","id"),
	CONSTRAINT "webhook_subscription_channel" CHECK ("webhook_subscriptions"."channel" in ('webhook')),
	CONSTRAINT "webhook_subscription_events" CHECK (cardinality("webhook_subscriptions"."events") > 0)
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "ordering_key" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "fund_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "planned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_council_id_id_unique" UNIQUE("council_id","id");--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_council_id_outbox_id_outbox_council_id_id_fk" FOREIGN KEY ("council_id","outbox_id") REFERENCES "public"."outbox"("council_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_council_id_subscription_id_webhook_subscriptions_council_id_id_fk" FOREIGN KEY ("council_id","subscription_id") REFERENCES "public"."webhook_subscriptions"("council_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_council_id_delivery_id_webhook_deliveries_council_id_id_fk" FOREIGN KEY ("council_id","delivery_id") REFERENCES "public"."webhook_deliveries"("council_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_status" ON "webhook_deliveries" USING btree ("council_id","status","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_subscription" ON "webhook_deliveries" USING btree ("council_id","subscription_id","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_ordering" ON "webhook_deliveries" USING btree ("council_id","subscription_id","ordering_key");--> statement-breakpoint
CREATE INDEX "outbox_ordering" ON "outbox" USING btree ("council_id","ordering_key","created_at");
--> statement-breakpoint
-- Hand-written from here (docs/tenancy.md): the council's rows only, as on every table.
ALTER TABLE "webhook_subscriptions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON webhook_subscriptions
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON webhook_deliveries
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_isolation ON webhook_delivery_attempts
  USING (council_id = current_setting('ims.council_id', true))
  WITH CHECK (council_id = current_setting('ims.council_id', true));
