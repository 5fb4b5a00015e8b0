import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ReturnBag, ReturnCheque } from '../../domain/cashReturn';
import { councilId, createdAt, pence, updatedAt } from './columns';
import { funds, methodsOfPayment, offices, vatCodes } from './config';

/**
 * The cash desk (docs/cash-desk.md): counter and postal payments taken by staff at an office,
 * their receipts, and the cashier's daily return (eReturn). Counter payments have a table of
 * their own, not `payments`: they never meet a PSP, they post at once, and a basket may carry a
 * negative write-back line, which a card payment's lines may not.
 */

/** Which office a member of staff takes money at, and with which methods of payment. */
export const cashierAssignments = pgTable(
  'cashier_assignments',
  {
    councilId: councilId(),
    /** The username (or API key principal) of the cashier. */
    actorId: text('actor_id').notNull(),
    officeCode: text('office_code').notNull(),
    methodOfPaymentCodes: text('method_of_payment_codes').array().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.actorId] }),
    foreignKey({
      columns: [t.councilId, t.officeCode],
      foreignColumns: [offices.councilId, offices.code],
    }),
  ],
);

/**
 * The last receipt number issued at each office. Counter payments take the next one by
 * updating this row in their posting transaction, so a rolled-back payment gives its number
 * back and the numbers have no gaps (a sequence would leave one).
 */
export const receiptCounters = pgTable(
  'receipt_counters',
  {
    councilId: councilId(),
    officeCode: text('office_code').notNull(),
    lastReceiptNo: integer('last_receipt_no').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.officeCode] }),
    foreignKey({
      columns: [t.councilId, t.officeCode],
      foreignColumns: [offices.councilId, offices.code],
    }),
  ],
);

export const counterPayments = pgTable(
  'counter_payments',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    /** The caller's Idempotency-Key; null when none was sent. */
    idempotencyKey: text('idempotency_key'),
    /** sha256 of the request body: the same key with a different body is refused. */
    requestHash: text('request_hash').notNull(),
    officeCode: text('office_code').notNull(),
    receiptNo: integer('receipt_no').notNull(),
    cashier: text('cashier').notNull(),
    methodOfPaymentCode: text('method_of_payment_code').notNull(),
    /** cash | cheque | postal_order | pdq. */
    tenderKind: text('tender_kind').notNull(),
    /** The basket's total: write-back lines make it smaller, never below zero. */
    amountPence: pence('amount_pence').notNull(),
    /** Cash only: what the customer handed over, and the change given back. */
    tenderedPence: pence('tendered_pence'),
    changePence: pence('change_pence'),
    /** Cheques: the drawer, the sort code (6 digits) and the cheque number; postal orders: its serial. */
    chequeDrawer: text('cheque_drawer'),
    chequeSortCode: text('cheque_sort_code'),
    chequeNumber: text('cheque_number'),
    /** PDQ (card present): the terminal's authorisation code. Never any card data. */
    pdqAuthCode: text('pdq_auth_code'),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    /** posted | voided. */
    state: text('state').notNull(),
    journalId: text('journal_id').notNull(),
    voidJournalId: text('void_journal_id'),
    voidReason: text('void_reason'),
    voidedBy: text('voided_by'),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    /** How many times the receipt was printed again: each reprint is marked COPY. */
    reprintCount: integer('reprint_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    uniqueIndex('counter_payments_receipt').on(t.councilId, t.officeCode, t.receiptNo),
    uniqueIndex('counter_payments_idempotency_key').on(t.councilId, t.idempotencyKey),
    index('counter_payments_day').on(t.councilId, t.businessDate, t.officeCode, t.cashier),
    foreignKey({
      columns: [t.councilId, t.officeCode],
      foreignColumns: [offices.councilId, offices.code],
    }),
    foreignKey({
      columns: [t.councilId, t.methodOfPaymentCode],
      foreignColumns: [methodsOfPayment.councilId, methodsOfPayment.code],
    }),
    check('counter_payment_amount_not_negative', sql`${t.amountPence} >= 0`),
    check(
      'counter_payment_void_complete',
      sql`(${t.state} = 'voided') = (${t.voidJournalId} is not null and ${t.voidReason} is not null)`,
    ),
  ],
);

export const counterPaymentLines = pgTable(
  'counter_payment_lines',
  {
    councilId: councilId(),
    counterPaymentId: text('counter_payment_id').notNull(),
    lineNo: smallint('line_no').notNull(),
    fundCode: text('fund_code').notNull(),
    reference: text('reference').notNull(),
    /** Negative on a write-back line, which undoes a mistake made earlier the same day. */
    amountPence: pence('amount_pence').notNull(),
    vatCode: text('vat_code').notNull(),
    vatPence: pence('vat_pence').notNull(),
    narrative: text('narrative'),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.counterPaymentId, t.lineNo] }),
    foreignKey({
      columns: [t.councilId, t.counterPaymentId],
      foreignColumns: [counterPayments.councilId, counterPayments.id],
    }),
    foreignKey({
      columns: [t.councilId, t.fundCode],
      foreignColumns: [funds.councilId, funds.code],
    }),
    foreignKey({
      columns: [t.councilId, t.vatCode],
      foreignColumns: [vatCodes.councilId, vatCodes.code],
    }),
    check('counter_line_amount_not_zero', sql`${t.amountPence} <> 0`),
  ],
);

/** Which rows a return has at an office, who may use it, and when the office closes. */
export const cashReturnTemplates = pgTable(
  'cash_return_templates',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    officeCode: text('office_code').notNull(),
    name: text('name').notNull(),
    /** The funds whose takings the return lists; empty: every fund. */
    fundCodes: text('fund_codes').array().notNull(),
    /** Who may use it; empty: every cashier of the office. */
    actorIds: text('actor_ids').array().notNull(),
    /** HH:MM, UK local time: a return not submitted by then is overdue. */
    closesAt: text('closes_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    foreignKey({
      columns: [t.councilId, t.officeCode],
      foreignColumns: [offices.councilId, offices.code],
    }),
    check('cash_return_closes_at', sql`${t.closesAt} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
  ],
);

/**
 * One cashier's return for one office and day, worked by its cashReturnWorkflow (id = return
 * id); the workflow's activities keep this row in step. Expected totals are read from the
 * ledger when the return is submitted; over/short is declared minus expected.
 */
export const cashReturns = pgTable(
  'cash_returns',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    templateId: text('template_id').notNull(),
    officeCode: text('office_code').notNull(),
    cashier: text('cashier').notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    /** draft | submitted | approved | voided (a rejected return is a draft again). */
    state: text('state').notNull(),
    bags: jsonb('bags').$type<ReturnBag[]>().notNull(),
    cheques: jsonb('cheques').$type<ReturnCheque[]>().notNull(),
    explanation: text('explanation'),
    notes: jsonb('notes').$type<{ at: string; by: string; text: string }[]>().notNull(),
    expectedCashPence: pence('expected_cash_pence'),
    expectedChequePence: pence('expected_cheque_pence'),
    declaredCashPence: pence('declared_cash_pence'),
    declaredChequePence: pence('declared_cheque_pence'),
    /** Declared minus expected: negative is short, positive is over. */
    overShortPence: pence('over_short_pence'),
    submissionCount: integer('submission_count').notNull().default(0),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    overShortJournalId: text('over_short_journal_id'),
    voidReason: text('void_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    // One live return per cashier, office and day; a voided one may be started again.
    uniqueIndex('cash_returns_one_live')
      .on(t.councilId, t.officeCode, t.cashier, t.businessDate)
      .where(sql`${t.state} <> 'voided'`),
    index('cash_returns_state').on(t.councilId, t.state),
    foreignKey({
      columns: [t.councilId, t.templateId],
      foreignColumns: [cashReturnTemplates.councilId, cashReturnTemplates.id],
    }),
    foreignKey({
      columns: [t.councilId, t.officeCode],
      foreignColumns: [offices.councilId, offices.code],
    }),
  ],
);
