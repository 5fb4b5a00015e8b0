import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { councilId, createdAt, pence, updatedAt } from './columns';
import { funds, methodsOfPayment, vatCodes } from './config';

/**
 * The read model of card payments. The PaymentWorkflow owns the lifecycle; its activities write
 * each step here (idempotently) so staff and integrations can search and read payments without
 * asking Temporal, and so the timeline survives Temporal's history retention.
 */
export const payments = pgTable(
  'payments',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    /** The caller's Idempotency-Key; null when none was sent. */
    idempotencyKey: text('idempotency_key'),
    /** sha256 of the request body: the same key with a different body is refused. */
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull(),
    amountPence: pence('amount_pence').notNull(),
    description: text('description').notNull(),
    returnUrl: text('return_url').notNull(),
    methodOfPaymentCode: text('method_of_payment_code').notNull(),
    officeCode: text('office_code'),
    /** Who started it: an integration's or staff member's id. */
    createdBy: text('created_by').notNull(),
    pspPaymentId: text('psp_payment_id'),
    nextUrl: text('next_url'),
    pspStatus: text('psp_status'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    feePence: pence('fee_pence'),
    /**
     * What GOV.UK Pay reports of the card (its card_details), and nothing more: the first six
     * and last four digits, the brand and the expiry (MM/YY). Null until the payer has entered
     * a card. A full card number never reaches the council (PCI DSS).
     */
    cardFirstDigits: text('card_first_digits'),
    cardLastDigits: text('card_last_digits'),
    cardBrand: text('card_brand'),
    cardExpiryDate: text('card_expiry_date'),
    journalId: text('journal_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    unique('payments_idempotency_key_unique').on(t.councilId, t.idempotencyKey),
    unique('payments_psp_payment_id_unique').on(t.councilId, t.pspPaymentId),
    foreignKey({
      columns: [t.councilId, t.methodOfPaymentCode],
      foreignColumns: [methodsOfPayment.councilId, methodsOfPayment.code],
    }),
    index('payments_state').on(t.councilId, t.state),
    index('payments_created_at').on(t.councilId, t.createdAt),
    // The transaction search finds payments by these (db/transactionSearch.ts).
    index('payments_card_last_digits').on(t.councilId, t.cardLastDigits),
    index('payments_created_by').on(t.councilId, t.createdBy),
    index('payments_journal').on(t.councilId, t.journalId),
    index('payments_method_office').on(t.councilId, t.methodOfPaymentCode, t.officeCode),
    check('payment_amount_positive', sql`${t.amountPence} > 0`),
  ],
);

export const paymentLines = pgTable(
  'payment_lines',
  {
    councilId: councilId(),
    paymentId: text('payment_id').notNull(),
    lineNo: smallint('line_no').notNull(),
    fundCode: text('fund_code').notNull(),
    reference: text('reference').notNull(),
    amountPence: pence('amount_pence').notNull(),
    /** Known once the basket has been validated. */
    vatCode: text('vat_code'),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.paymentId, t.lineNo] }),
    foreignKey({
      columns: [t.councilId, t.paymentId],
      foreignColumns: [payments.councilId, payments.id],
    }),
    foreignKey({
      columns: [t.councilId, t.fundCode],
      foreignColumns: [funds.councilId, funds.code],
    }),
    foreignKey({
      columns: [t.councilId, t.vatCode],
      foreignColumns: [vatCodes.councilId, vatCodes.code],
    }),
    index('payment_lines_reference').on(t.councilId, t.reference),
    check('payment_line_amount_positive', sql`${t.amountPence} > 0`),
  ],
);

/** What happened to a payment, in order. `dedupeKey` makes re-recording an event a no-op. */
export const paymentEvents = pgTable(
  'payment_events',
  {
    councilId: councilId(),
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    paymentId: text('payment_id').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    event: text('event').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    unique('payment_events_dedupe_key_unique').on(t.councilId, t.dedupeKey),
    foreignKey({
      columns: [t.councilId, t.paymentId],
      foreignColumns: [payments.councilId, payments.id],
    }),
    index('payment_events_payment').on(t.paymentId, t.id),
  ],
);

/**
 * Messages to send after a business event commits (receipts, notifications). Written in the
 * same transaction as the event, sent by a relay, so a crash can delay a receipt but never lose
 * or invent one.
 */
export const outbox = pgTable(
  'outbox',
  {
    councilId: councilId(),
    id: text('id').primaryKey(),
    topic: text('topic').notNull(),
    /** Unique per business event: the same receipt is queued once. */
    dedupeKey: text('dedupe_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** Messages of one key (a payment's id) reach each receiver in order; null: no order. */
    orderingKey: text('ordering_key'),
    /** The funds the message touches, for subscriptions filtered by fund; empty: none known. */
    fundCodes: text('fund_codes').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    /** When the relay planned its deliveries (one per matching subscription). */
    plannedAt: timestamp('planned_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    /** When every planned delivery was delivered or dead: the relay is done with it. */
    sentAt: timestamp('sent_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('outbox_dedupe_key_unique').on(t.councilId, t.dedupeKey),
    // Deliveries point at a message council-first (docs/tenancy.md).
    unique('outbox_council_id_id_unique').on(t.councilId, t.id),
    index('outbox_ordering').on(t.councilId, t.orderingKey, t.createdAt),
    index('outbox_unsent').on(t.createdAt).where(sql`${t.sentAt} is null`),
  ],
);
