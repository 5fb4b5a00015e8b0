import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { councilId, createdAt, updatedAt } from './columns';
import { outbox } from './payments';

/**
 * Where a council's line-of-business systems want to hear about its money (docs/webhooks.md):
 * one row per receiver, with the events it takes and, optionally, one fund. The signing secret
 * is sealed with the council's payload key; the IMS shows it once, when made or rotated.
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    /** How a message travels: only `webhook` today; a seam for GOV.UK Notify email later. */
    channel: text('channel').notNull().default('webhook'),
    url: text('url').notNull(),
    /** Event names (domain/webhooks.ts `webhookEvents`); never empty. */
    events: text('events').array().notNull(),
    /** Null: every fund's messages; else only messages that touch this fund. */
    fundCode: text('fund_code'),
    description: text('description').notNull(),
    sealedSecret: text('sealed_secret').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    check('webhook_subscription_channel', sql`${t.channel} in ('webhook')`),
    check('webhook_subscription_events', sql`cardinality(${t.events}) > 0`),
  ],
);

/**
 * One outbox message for one subscription: planned once (unique), then delivered, or dead once
 * its retries ran out. `redeliveries` counts hand redeliveries, naming each one's workflow.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    outboxId: text('outbox_id').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    event: text('event').notNull(),
    /** Deliveries of one key (a payment) go out in outbox order; null: no order to keep. */
    orderingKey: text('ordering_key'),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    lastStatusCode: integer('last_status_code'),
    redeliveries: integer('redeliveries').notNull().default(0),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    unique('webhook_deliveries_once').on(t.councilId, t.outboxId, t.subscriptionId),
    foreignKey({
      columns: [t.councilId, t.outboxId],
      foreignColumns: [outbox.councilId, outbox.id],
    }),
    foreignKey({
      columns: [t.councilId, t.subscriptionId],
      foreignColumns: [webhookSubscriptions.councilId, webhookSubscriptions.id],
    }),
    index('webhook_deliveries_status').on(t.councilId, t.status, t.id),
    index('webhook_deliveries_subscription').on(t.councilId, t.subscriptionId, t.id),
    index('webhook_deliveries_ordering').on(t.councilId, t.subscriptionId, t.orderingKey),
    check('webhook_delivery_status', sql`${t.status} in ('pending', 'delivered', 'dead')`),
  ],
);

/** Each HTTP attempt of a delivery: what the receiver answered (or why nothing came back). */
export const webhookDeliveryAttempts = pgTable(
  'webhook_delivery_attempts',
  {
    councilId: councilId(),
    deliveryId: text('delivery_id').notNull(),
    attemptNo: integer('attempt_no').notNull(),
    /** Null: no answer (network error, timeout). */
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    /** Null: delivered (a 2xx). */
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.deliveryId, t.attemptNo] }),
    foreignKey({
      columns: [t.councilId, t.deliveryId],
      foreignColumns: [webhookDeliveries.councilId, webhookDeliveries.id],
    }),
  ],
);
