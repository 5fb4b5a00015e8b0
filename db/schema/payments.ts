import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { createdAt, pence, updatedAt } from './columns';
import { funds, methodsOfPayment, vatCodes } from './config';

/**
 * The read model of card payments. The PaymentWorkflow owns the lifecycle; its activities write
 * each step here (idempotently) so staff and integrations can search and read payments without
 * asking Temporal, and so the timeline survives Temporal's history retention.
 */
export const payments = pgTable(
  'payments',
  {
    id: text('id').primaryKey(),
    /** The caller's Idempotency-Key; null when none was sent. */
    idempotencyKey: text('idempotency_key').unique(),
    /** sha256 of the request body: the same key with a different body is refused. */
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull(),
    amountPence: pence('amount_pence').notNull(),
    description: text('description').notNull(),
    returnUrl: text('return_url').notNull(),
    methodOfPaymentCode: text('method_of_payment_code')
      .notNull()
      .references(() => methodsOfPayment.code),
    officeCode: text('office_code'),
    /** Who started it: an integration's or staff member's id. */
    createdBy: text('created_by').notNull(),
    pspPaymentId: text('psp_payment_id').unique(),
    nextUrl: text('next_url'),
    pspStatus: text('psp_status'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    feePence: pence('fee_pence'),
    journalId: text('journal_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('payments_state').on(t.state),
    index('payments_created_at').on(t.createdAt),
    check('payment_amount_positive', sql`${t.amountPence} > 0`),
  ],
);

export const paymentLines = pgTable(
  'payment_lines',
  {
    paymentId: text('payment_id')
      .notNull()
      .references(() => payments.id),
    lineNo: smallint('line_no').notNull(),
    fundCode: text('fund_code')
      .notNull()
      .references(() => funds.code),
    reference: text('reference').notNull(),
    amountPence: pence('amount_pence').notNull(),
    /** Known once the basket has been validated. */
    vatCode: text('vat_code').references(() => vatCodes.code),
  },
  (t) => [
    primaryKey({ columns: [t.paymentId, t.lineNo] }),
    index('payment_lines_reference').on(t.reference),
    check('payment_line_amount_positive', sql`${t.amountPence} > 0`),
  ],
);

/** What happened to a payment, in order. `dedupeKey` makes re-recording an event a no-op. */
export const paymentEvents = pgTable(
  'payment_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    paymentId: text('payment_id')
      .notNull()
      .references(() => payments.id),
    dedupeKey: text('dedupe_key').notNull().unique(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    event: text('event').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('payment_events_payment').on(t.paymentId, t.id)],
);

/**
 * Messages to send after a business event commits (receipts, notifications). Written in the
 * same transaction as the event, sent by a relay, so a crash can delay a receipt but never lose
 * or invent one.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    topic: text('topic').notNull(),
    /** Unique per business event: the same receipt is queued once. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    attempts: integer('attempts').notNull().default(0),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [index('outbox_unsent').on(t.createdAt).where(sql`${t.sentAt} is null`)],
);
