import { sql } from 'drizzle-orm';
import {
  check,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { GlLayout } from '../../domain/glExport';
import type { SettlementDifference } from '../../domain/settlement';
import { councilId, pence } from './columns';

/**
 * Close of day and PSP settlement. A closed day keeps the exact bytes of the files it produced,
 * so finance can fetch them again months later and get what the general ledger received.
 * A trigger on journals (migration 0006) refuses any posting dated to a closed day.
 */
export const closedDays = pgTable(
  'closed_days',
  {
    councilId: councilId(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull().defaultNow(),
    /** A user id, or `system:schedule` when the nightly schedule closed it. */
    closedBy: text('closed_by').notNull(),
    reason: text('reason'),
    glExportCsv: text('gl_export_csv').notNull(),
    glExportSha256: text('gl_export_sha256').notNull(),
    fundFeedCsv: text('fund_feed_csv').notNull(),
    fundFeedSha256: text('fund_feed_sha256').notNull(),
    /** GL export detail lines (header and trailer excluded); 0 for a day with no postings. */
    glLineCount: integer('gl_line_count').notNull(),
    totalDebitPence: pence('total_debit_pence').notNull(),
    totalCreditPence: pence('total_credit_pence').notNull(),
    /**
     * The GL layout the export was written in, so regenerating a closed day gives the same
     * bytes after the layout is reconfigured. Null on days closed before layouts existed: those
     * used `defaultGlLayout`.
     */
    glLayout: jsonb('gl_layout').$type<GlLayout>(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.businessDate] }),
    check('closed_day_balances', sql`${t.totalDebitPence} = ${t.totalCreditPence}`),
  ],
);

/**
 * What the PSP settled on a date and the payout we therefore expect in the bank. Re-running the
 * settlement for a date replaces its row: the PSP's search is eventually consistent, so a later
 * run can only be more complete.
 */
export const pspSettlements = pgTable(
  'psp_settlements',
  {
    councilId: councilId(),
    settledDate: date('settled_date', { mode: 'string' }).notNull(),
    paymentCount: integer('payment_count').notNull(),
    grossPence: pence('gross_pence').notNull(),
    feePence: pence('fee_pence').notNull(),
    /**
     * Card refunds netted off the payout: the ledger's card refunds posted `settlementDelayDays`
     * before the settled date (the PSP settles a refund as it settles a payment).
     */
    refundPence: pence('refund_pence').notNull(),
    /** How many card refunds `refundPence` sums; null on rows reconciled before it was kept. */
    refundCount: integer('refund_count'),
    /** gross − fees − refunds: the one bank credit the bank statement should show. */
    expectedPayoutPence: pence('expected_payout_pence').notNull(),
    differences: jsonb('differences').$type<SettlementDifference[]>().notNull(),
    reconciledAt: timestamp('reconciled_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.settledDate] }),
    check(
      'settlement_payout_sum',
      sql`${t.expectedPayoutPence} = ${t.grossPence} - ${t.feePence} - ${t.refundPence}`,
    ),
  ],
);

/**
 * Reconciliation configuration finance can change through the API (each change audited):
 * `bank_match_rules` and `gl_layout`. A key with no row uses its built-in default.
 */
export const reconciliationSettings = pgTable(
  'reconciliation_settings',
  {
    councilId: councilId(),
    key: text('key', { enum: ['bank_match_rules', 'gl_layout'] }).notNull(),
    value: jsonb('value').$type<unknown>().notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.councilId, t.key] })],
);
